package io.ringswitch.overlay.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Turns a log event into one JSON object on one line:
 * {@code {"time":"2026-12-07T11:40:56.123Z","level":"WARN","logger":"...","thread":"...","message":"...",
 * "peer":"...","path":"...","reason":"..."}}. Key-value pairs ({@code log.atWarn().addKeyValue("peer", p)})
 * and MDC entries become fields of their own, so that {@code jq 'select(.reason == "bad-certificate")'}
 * finds them; a key that would overwrite one of the five fixed fields is written with a {@code kv.} prefix.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> FIXED = Set.of("time", "level", "logger", "thread", "message", "error");
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    field(json, kv.key, kv.value);
                }
            }
            for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
                field(json, e.getKey(), e.getValue());
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                json.writeStringField("error", ThrowableProxyUtil.asString(error));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void field(JsonGenerator json, String key, Object value) throws IOException {
        String name = FIXED.contains(key) ? "kv." + key : key;
        if (value instanceof Number n && (value instanceof Long || value instanceof Integer)) {
            json.writeNumberField(name, n.longValue());
        } else if (value instanceof Boolean b) {
            json.writeBooleanField(name, b);
        } else {
            json.writeStringField(name, String.valueOf(value));
        }
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }
}
