package io.ringswitch.overlay.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the config records' {@link Doc} annotations into the operator's reference: one Markdown
 * table per section (field, type, default, what it does). {@code docs/config.md} is this text, and
 * a test fails when the two differ, so that a new field cannot go undocumented.
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    /** The whole reference, Markdown. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Node configuration reference\n\n")
                .append("Every field of a node's YAML config (`ringswitch node --config FILE`). Generated from the config\n")
                .append("records in `overlay-node/src/main/java/io/ringswitch/overlay/api` (their `@Doc` annotations) by\n")
                .append("`ringswitch config reference`: do not edit it by hand, change the `@Doc` and run\n")
                .append("`./ringswitch config reference > docs/config.md` (`ConfigReferenceTest` fails while the two differ).\n")
                .append("`ringswitch config check FILE` checks a file against the same records.\n");
        List<Object[]> sections = new ArrayList<>();
        sections.add(new Object[] {"", NodeConfig.class});
        for (int i = 0; i < sections.size(); i++) {
            String path = (String) sections.get(i)[0];
            Class<?> type = (Class<?>) sections.get(i)[1];
            out.append("\n## ").append(path.isEmpty() ? "Top level" : "`" + path + "`").append("\n\n");
            out.append("| field | type | default | what it does |\n| --- | --- | --- | --- |\n");
            List<Object[]> nested = new ArrayList<>();
            for (ConfigFields f : ConfigFields.of(type)) {
                String where = path.isEmpty() ? f.yamlName() : path + "." + f.yamlName();
                Doc doc = f.doc();
                if (doc == null) {
                    throw new IllegalStateException(type.getName() + ": the config field " + where + " has no @Doc");
                }
                String what = doc.value();
                if (f.kind() == ConfigFields.Kind.SECTION) {
                    what += " See `" + where + "` below.";
                    nested.add(new Object[] {where, f.section()});
                }
                if (!doc.example().isEmpty()) {
                    what += " Example: `" + doc.example() + "`.";
                }
                out.append("| `").append(where).append("` | ").append(f.kind().shown).append(" | ")
                        .append(doc.byDefault().isEmpty() ? "-" : cell(doc.byDefault())).append(" | ").append(cell(what))
                        .append(" |\n");
            }
            sections.addAll(i + 1, nested);
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
