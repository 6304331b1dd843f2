package io.ringswitch.topology.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Turns a lifetime on the command line into a {@link Duration}: a whole number with a unit,
 * {@code 90s}, {@code 15m}, {@code 36h}, {@code 4d}, or an ISO-8601 duration ({@code PT90S}).
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The duration {@code value} names; throws {@link IllegalArgumentException} saying what it takes. */
    public static Duration parse(String value) {
        Matcher m = SHORT.matcher(value.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is no duration: give e.g. 90s, 15m, 36h, 4d or PT90S");
        }
    }
}
