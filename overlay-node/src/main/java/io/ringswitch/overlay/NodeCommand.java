package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import io.ringswitch.overlay.logging.LogFormat;
import io.ringswitch.overlay.logging.LogSetup;
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

    @Option(names = "--log-format", paramLabel = "FORMAT", converter = LogFormatConverter.class,
            description = "text (default) or json: one JSON object a line, with peer, path and reason as fields."
                    + " Also RINGSWITCH_LOG_FORMAT or -Dringswitch.log.format.")
    LogFormat logFormat;

    /** Reads {@code text} or {@code json}. */
    static final class LogFormatConverter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            return LogFormat.of(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (logFormat != null) {
            LogSetup.use(logFormat);
        }
        NodeConfig checked;
        try {
            checked = NodeConfig.load(config);
        } catch (NodeConfig.ConfigException e) {
            log.error("bad configuration: {}", e.getMessage());
            log.error("check it with: ringswitch config check {}", config);
            return 2;
        }
        OverlayNode node;
        try {
            node = OverlayNode.start(checked, true);
        } catch (IOException e) {
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
