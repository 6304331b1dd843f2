package io.ringswitch.overlay.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The format and level come from system properties when Logback starts, text and info without them. */
class LogSetupTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void backToText() {
        System.clearProperty("ringswitch.log.format");
        LogSetup.install(context, LogFormat.TEXT, Level.WARN, null);
    }

    private Object encoder() {
        OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("console");
        return appender.getEncoder();
    }

    @Test
    void thePropertyChoosesJsonAndTheLevel() {
        System.setProperty("ringswitch.log.format", "json");
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        setup.configure(context);
        assertTrue(encoder() instanceof JsonLogEncoder);
        assertEquals(Level.WARN, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel(),
                "the build sets ringswitch.log.level=warn for tests");
    }

    @Test
    void aBadFormatFallsBackToText() {
        System.setProperty("ringswitch.log.format", "xml");
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        setup.configure(context);
        assertTrue(encoder() instanceof ch.qos.logback.classic.encoder.PatternLayoutEncoder);
    }
}
