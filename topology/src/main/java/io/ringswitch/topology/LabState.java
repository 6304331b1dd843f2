package io.ringswitch.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What a lab has built, as written to {@code state.json} in its run directory before each step,
 * so that {@code lab down} can remove everything even after the process that built it died.
 *
 * @param spec       the lab's description, defaults filled in
 * @param namespaces every namespace created (or about to be), in order of creation
 * @param nodePids   process ids of the node processes the lab runs now
 */
public record LabState(LabSpec spec, List<String> namespaces, List<Long> nodePids) {
    /** The state file's name inside the lab's run directory. */
    public static final String FILE = "state.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public LabState {
        namespaces = List.copyOf(namespaces);
        nodePids = List.copyOf(nodePids);
    }

    /** The state of the lab whose run directory is {@code runDir}; empty when no lab is up there. */
    public static Optional<LabState> read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), LabState.class));
    }

    /** Writes the state atomically (a crash mid-write leaves the previous state). */
    void write(Path runDir) throws IOException {
        Path tmp = runDir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(this));
        Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
