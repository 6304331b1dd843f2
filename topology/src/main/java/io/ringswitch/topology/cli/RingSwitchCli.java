package io.ringswitch.topology.cli;

import io.ringswitch.overlay.ConfigCommand;
import io.ringswitch.overlay.NodeCommand;
import io.ringswitch.overlay.RevokeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ringswitch} command; the launcher script handles {@code test} and installation. */
@Command(name = "ringswitch", mixinStandardHelpOptions = true,
        description = "RingSwitch: a peer-to-peer layer-2 VPN for Open vSwitch bridges.",
        subcommands = {DemoCommand.class, LabCommand.class, BenchCommand.class, SimCommand.class, CrawlCommand.class, NodeCommand.class, RevokeCommand.class,
                CaCommand.class, GroupServerCommand.class, EnrolCommand.class, DashboardCommand.class, StatusCommand.class,
                PingCommand.class, ConfigCommand.class})
public final class RingSwitchCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RingSwitchCli()).execute(args));
    }
}
