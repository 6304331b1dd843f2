package io.ringswitch.overlay;

import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import java.io.IOException;
import io.ringswitch.overlay.security.LocalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The near neighbours a node had, kept beside its key so that after a restart (same key, same
 * ring address) it asks them for its links back instead of joining the ring again. One line per
 * neighbour: {@code ADDRESS HOST:PORT}. A line that does not parse is skipped with a warning.
 */
final class FormerNeighbours {
    private static final Logger log = LoggerFactory.getLogger(FormerNeighbours.class);
    private final Path file;
    private List<Contact> written = List.of();

    FormerNeighbours(Path file) {
        this.file = file;
    }

    List<Contact> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Contact> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split(" ");
                if (parts.length != 2) {
                    continue;
                }
                try {
                    out.add(new Contact(RingAddress.parse(parts[0]), Endpoints.parse(parts[1])));
                } catch (IllegalArgumentException e) {
                    log.warn("{}: skipping a line that does not parse ({}): {}", file, e.getMessage(), line);
                }
            }
        } catch (IOException e) {
            log.warn("cannot read {}: {}; joining through the bootstrap nodes", file, e.getMessage());
        }
        return out;
    }

    /** Writes {@code near} when it changed since the last write. */
    void write(List<Contact> near) {
        if (near.isEmpty() || near.equals(written)) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (Contact c : near) {
            if (c.address() != null && c.endpoint() != null) {
                b.append(c.address()).append(' ').append(Endpoints.format(c.endpoint())).append('\n');
            }
        }
        try {
            LocalFiles.write(file, b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), LocalFiles.OWNER_ONLY);
            written = List.copyOf(near);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", file, e.getMessage());
        }
    }
}
