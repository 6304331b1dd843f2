package io.ringswitch.overlay.security.noise;

/** A handshake or transport message that is malformed or does not authenticate. */
public final class NoiseException extends Exception {
    public NoiseException(String message) {
        super(message, null, false, false);
    }
}
