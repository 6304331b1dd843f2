package io.ringswitch.overlay;

import io.ringswitch.controller.api.BoundHostStore;
import io.ringswitch.overlay.security.LocalFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.types.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosts a node's controller bound, kept beside its key (owner-only, as its former neighbours
 * are) so that after a restart the controller binds them at once and asks the directory after
 * (issue 21). One line per host: {@code PORT PORT-NAME MAC [ADDRESS,...]}. Lines that do not
 * parse are skipped, counted and logged; at most {@link #MAX_HOSTS} are read.
 */
final class BoundHostFile implements BoundHostStore {
    private static final Logger log = LoggerFactory.getLogger(BoundHostFile.class);
    /** As many hosts as a controller binds claims for at once: a file cannot make it hold more. */
    static final int MAX_HOSTS = 1024;

    private final Path file;
    private List<BoundHost> written;
    private long skipped;

    BoundHostFile(Path file) {
        this.file = file;
    }

    @Override
    public List<BoundHost> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<BoundHost> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (out.size() >= MAX_HOSTS) {
                    break;
                }
                try {
                    out.add(parse(line));
                } catch (IllegalArgumentException e) {
                    if (Long.bitCount(++skipped) == 1) {
                        log.warn("{}: skipping a line that does not parse ({}; {} so far): {}", file, e.getMessage(),
                                skipped, line);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("cannot read {}: {}; its hosts are bound through the directory", file, e.getMessage());
        }
        written = List.copyOf(out);
        return out;
    }

    /** Reads one line: {@code PORT PORT-NAME MAC [ADDRESS,...]}, addresses as literals only (no name lookups). */
    static BoundHost parse(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("expected PORT PORT-NAME MAC [ADDRESSES]");
        }
        int port;
        try {
            port = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port " + parts[0] + " is not a number");
        }
        MacAddress mac = MacAddress.of(parts[2]);
        List<InetAddress> addresses = new ArrayList<>();
        if (parts.length == 4) {
            for (String a : parts[3].split(",")) {
                addresses.add(literal(a));
            }
        }
        return new BoundHost(port, parts[1], mac, addresses);
    }

    private static InetAddress literal(String text) {
        if (!text.matches("[0-9a-fA-F:.]+") || !(text.contains(".") || text.contains(":"))) {
            throw new IllegalArgumentException("address " + text + " is not a literal");
        }
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("address " + text + ": " + e.getMessage());
        }
    }

    /** Writes {@code hosts} when they differ from what the file holds. */
    @Override
    public void save(List<BoundHost> hosts) {
        if (hosts.equals(written)) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (BoundHost h : hosts) {
            if (h.portName() == null) {
                continue;
            }
            b.append(h.port()).append(' ').append(h.portName()).append(' ').append(h.mac());
            if (!h.addresses().isEmpty()) {
                b.append(' ').append(String.join(",", h.addresses().stream().map(InetAddress::getHostAddress).toList()));
            }
            b.append('\n');
        }
        try {
            LocalFiles.write(file, b.toString().getBytes(StandardCharsets.UTF_8), LocalFiles.OWNER_ONLY);
            written = List.copyOf(hosts);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", file, e.getMessage());
        }
    }
}
