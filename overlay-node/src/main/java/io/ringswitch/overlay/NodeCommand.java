package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringswitch node --config FILE}: runs one node until it is told to stop (SIGINT, SIGTERM). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run a RingSwitch node: the OpenFlow controller of the local bridge and its overlay port.")
public final class NodeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's YAML configuration.")
    Path config;

    @Override
    public Integer call() throws Exception {
        NodeConfig checked;
        try {
            checked = NodeConfig.load(config);
        } catch (NodeConfig.ConfigException e) {
            log.error("bad configuration: {}", e.getMessage());
            return 2;
        }
        OverlayNode node;
        try {
            node = OverlayNode.start(checked, true);
        } catch (java.io.IOException e) {
            log.error("node {} could not start: {}", checked.name(), e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "node-shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new NodeCommand()).execute(args));
    }
}
