package io.ringswitch.overlay.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.OutputStream;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback's one output, standard error, in the chosen {@link LogFormat} and level: found by
 * Logback through {@code META-INF/services} when the first logger is made (format and level from
 * {@code -Dringswitch.log.format} / {@code RINGSWITCH_LOG_FORMAT} and {@code -Dringswitch.log.level}
 * / {@code RINGSWITCH_LOG_LEVEL}; text and info unless set), and called again by
 * {@code ringswitch node --log-format} once the command line is read. Code, not an XML file:
 * choosing an encoder by a variable would otherwise need Logback's Janino conditionals.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The text lines, as slf4j-simple wrote them before: time, thread, level, logger, message. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} [%thread] %level %logger - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String format = setting("ringswitch.log.format", "RINGSWITCH_LOG_FORMAT", "text");
        String level = setting("ringswitch.log.level", "RINGSWITCH_LOG_LEVEL", "info");
        LogFormat chosen;
        try {
            chosen = LogFormat.of(format);
        } catch (IllegalArgumentException e) {
            chosen = LogFormat.TEXT;
            addWarn(e.getMessage());
        }
        install(context, chosen, Level.toLevel(level, Level.INFO), null);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Switches the running process's log output to {@code format}, keeping the level. */
    public static void use(LogFormat format) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Level level = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
            install(context, format, level == null ? Level.INFO : level, null);
        }
    }

    /**
     * Replaces every output of {@code context} with one writing {@code format} to {@code out} (null:
     * standard error); tests pass a buffer to read what was logged.
     */
    public static void install(LoggerContext context, LogFormat format, Level level, OutputStream out) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        Encoder<ILoggingEvent> encoder;
        if (format == LogFormat.JSON) {
            encoder = new JsonLogEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if (out == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            appender = console;
        } else {
            appender = new OutputStreamAppender<>();
            appender.setOutputStream(out);
        }
        appender.setContext(context);
        appender.setName("console");
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        root.setLevel(level);
    }

    private static String setting(String property, String env, String otherwise) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? otherwise : value;
    }
}
