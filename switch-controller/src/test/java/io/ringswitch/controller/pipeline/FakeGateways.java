package io.ringswitch.controller.pipeline;

import io.ringswitch.controller.api.GatewayDirectory;
import java.util.function.Consumer;

/** The overlay's gateway choice, made by the test: {@link #choose} tells the listener at once, as the overlay would. */
public final class FakeGateways implements GatewayDirectory {
    private Consumer<Gateway> listener;
    private Gateway chosen;

    @Override
    public void listen(Consumer<Gateway> listener) {
        this.listener = listener;
        listener.accept(chosen);
    }

    /** The overlay now steers to {@code gateway} (null: none answers). */
    public void choose(Gateway gateway) {
        chosen = gateway;
        if (listener != null) {
            listener.accept(gateway);
        }
    }
}
