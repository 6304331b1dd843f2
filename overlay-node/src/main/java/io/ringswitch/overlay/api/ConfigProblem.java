package io.ringswitch.overlay.api;

/**
 * One thing wrong with a node's config: the field's YAML path ({@code dhcp.pool}, {@code bootstrap[1]},
 * or {@code line 3, column 7} for YAML syntax), the value found there, and what a valid value looks like.
 *
 * @param path  where the problem is, as the operator would look for it in the file
 * @param value what was found there, or null when the field is missing
 * @param fix   what a valid value looks like, or what to change
 */
public record ConfigProblem(String path, String value, String fix) {
    /** {@code dhcp.leaseSeconds: 10 to 604800 (got 5)}. */
    @Override
    public String toString() {
        return path + ": " + fix + " (got " + (value == null ? "nothing" : value) + ")";
    }
}
