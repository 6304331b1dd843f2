package io.ringswitch.topology.internet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The internet server's request log: one line per request, {@code KIND SOURCE WHAT} (kind
 * {@code http} or {@code dns}, the source address the server saw, the path or the queried name), so
 * that a tour can read who asked what and from where. Lines are appended and flushed one by one.
 */
public final class InternetLog {
    /** One request: what kind, from which source address, for what. */
    public record Entry(String kind, String source, String what) {
    }

    private final Path file;

    public InternetLog(Path file) {
        this.file = file;
    }

    /** Appends one request; a failure to write is the server's to report. */
    synchronized void append(String kind, String source, String what) throws IOException {
        String clean = what.replaceAll("[^\\x21-\\x7e]", "?");
        Files.writeString(file, kind + " " + source + " " + (clean.isEmpty() ? "-" : clean) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Every request logged so far (none when the file does not exist yet). */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ", 3);
            if (f.length == 3) {
                out.add(new Entry(f[0], f[1], f[2]));
            }
        }
        return out;
    }
}
