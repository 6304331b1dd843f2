package io.ringswitch.overlay;

import io.ringswitch.overlay.api.ConfigReader;
import io.ringswitch.overlay.api.ConfigReference;
import io.ringswitch.overlay.api.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ringswitch config check FILE} and {@code ringswitch config reference}: an operator's
 * config checked before a node is started with it, and the reference of every field.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check a node's config, or print the reference of every config field.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Reference.class})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Prints OK, or every problem with its field, value and fix, and then exits 1. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a node's YAML config: prints OK, or every problem (field, value, fix) and exits 1.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The node's YAML config.")
        Path file;

        @Override
        public Integer call() {
            try {
                NodeConfig config = ConfigReader.load(file);
                spec.commandLine().getOut().println("OK: " + file + " (node " + config.name() + ")");
                return 0;
            } catch (NodeConfig.ConfigException e) {
                spec.commandLine().getOut().println(e.getMessage());
                return e.problems().isEmpty() ? 2 : 1;
            }
        }
    }

    /** Prints the Markdown reference that {@code docs/config.md} holds. */
    @Command(name = "reference", mixinStandardHelpOptions = true,
            description = "Print the reference of every config field (Markdown, as in docs/config.md).")
    static final class Reference implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().print(ConfigReference.markdown());
            spec.commandLine().getOut().flush();
        }
    }
}
