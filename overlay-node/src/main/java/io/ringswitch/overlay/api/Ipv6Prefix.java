package io.ringswitch.overlay.api;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 prefix of config text ({@code fd77::/64}, RFC 4291 §2.3) and the host addresses inside
 * it. Only literals are read: text without a colon is refused before {@link InetAddress} could
 * take it for a name to resolve.
 *
 * @param network the prefix's address with the host bits cleared
 * @param bits    the prefix length
 */
public record Ipv6Prefix(BigInteger network, int bits) {
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /**
     * The prefix, or null (and a problem naming {@code field}) when {@code value} is not
     * {@code ADDRESS/N} with N from {@code minBits} to {@code maxBits}.
     */
    static Ipv6Prefix parse(String field, String value, int minBits, int maxBits, ConfigProblems problems) {
        String[] parts = value == null ? new String[0] : value.split("/", 2);
        BigInteger base = parts.length == 2 ? address(parts[0]) : null;
        int n;
        try {
            n = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (base == null || n < minBits || n > maxBits) {
            problems.add(field, value, "an IPv6 prefix of /" + minBits + " to /" + maxBits + " such as fd77::/64");
            return null;
        }
        return new Ipv6Prefix(base.and(mask(n)), n);
    }

    /** The 128-bit value of an IPv6 literal, or null when {@code text} is not one. */
    static BigInteger address(String text) {
        if (text == null || !text.contains(":") || !text.matches("[0-9A-Fa-f:.]{2,45}")) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            return a instanceof Inet6Address ? new BigInteger(1, a.getAddress()) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} (a literal) lies inside this prefix and is neither its network address nor all ones. */
    public boolean hostOf(String address) {
        BigInteger a = address(address);
        BigInteger hostBits = ALL.xor(mask(bits));
        return a != null && a.and(mask(bits)).equals(network) && !a.equals(network) && !a.and(hostBits).equals(hostBits);
    }

    private static BigInteger mask(int n) {
        return ALL.xor(BigInteger.ONE.shiftLeft(128 - n).subtract(BigInteger.ONE));
    }

    @Override
    public String toString() {
        byte[] raw = network.toByteArray();
        byte[] sixteen = new byte[16];
        int copy = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - copy, sixteen, 16 - copy, copy);
        try {
            // The first run of zero groups shortened to "::" (RFC 5952 §4.2 asks for the longest; any one is valid).
            return InetAddress.getByAddress(sixteen).getHostAddress().replaceFirst("(^|:)0(:0)+(:|$)", "::") + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
