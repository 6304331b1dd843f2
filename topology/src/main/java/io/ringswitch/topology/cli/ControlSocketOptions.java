package io.ringswitch.topology.cli;

import io.ringswitch.overlay.control.ControlAnswer;
import io.ringswitch.overlay.control.ControlClient;
import io.ringswitch.overlay.control.ControlRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Which node's control socket {@code ringswitch status} and {@code ping} ask: {@code --socket PATH},
 * {@code --name NAME} ({@code /run/ringswitch/NAME.sock}, the node config's default), or the one
 * socket in {@code /run/ringswitch} when there is exactly one.
 */
final class ControlSocketOptions {
    static final Path RUN = Path.of("/run/ringswitch");

    @Option(names = "--socket", paramLabel = "PATH", description = "The node's control socket (its config's controlSocket).")
    Path socket;

    @Option(names = "--name", paramLabel = "NAME", description = "The node named NAME: /run/ringswitch/NAME.sock.")
    String name;

    Path path() throws IOException {
        if (socket != null) {
            return socket;
        }
        if (name != null) {
            return RUN.resolve(name + ".sock");
        }
        List<Path> found;
        try (Stream<Path> files = Files.isDirectory(RUN) ? Files.list(RUN) : Stream.empty()) {
            found = files.filter(p -> p.getFileName().toString().endsWith(".sock")).sorted().toList();
        }
        if (found.size() != 1) {
            throw new IOException(found.isEmpty() ? "no node's control socket in " + RUN + ": is a node running here? "
                    + "(--socket PATH for one elsewhere)" : "several nodes run here: " + found + "; choose one with --name or --socket");
        }
        return found.get(0);
    }

    /** Asks the node; a refusal or an unreachable socket is an {@link IOException} with the reason. */
    ControlAnswer ask(ControlRequest request) throws IOException {
        Path path = path();
        ControlAnswer answer;
        try {
            answer = ControlClient.ask(path, request);
        } catch (IOException e) {
            throw new IOException("cannot ask the node at " + path + ": " + e.getMessage()
                    + (Files.exists(path) ? " (is the node running? only root may connect)" : " (no such socket: is the node running?)"), e);
        }
        if (!answer.ok()) {
            throw new IOException(answer.error());
        }
        return answer;
    }
}
