package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.control.ControlRequest;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ringswitch status}: the node on this host, through its control socket, as a table or JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the node on this host (root only, through its control socket): ring address, group, certificate, "
                + "neighbours, shortcuts, relays, every link with its path, RTT, age and traffic, DHT, leases, multicast, "
                + "gateways and the bridge's flows.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ControlSocketOptions node;

    @Option(names = "--json", description = "Print the node's status as JSON (the status file's record).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        NodeStatus status;
        try {
            status = node.ask(ControlRequest.status()).status();
        } catch (IOException e) {
            System.err.println("ringswitch status: " + e.getMessage());
            return 1;
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(status));
        } else {
            System.out.print(StatusTable.render(status, StatusTable.NO_NAMES));
        }
        return 0;
    }
}
