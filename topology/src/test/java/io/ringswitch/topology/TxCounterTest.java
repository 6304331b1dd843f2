package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class TxCounterTest {

    @Test
    void readsTheCounterFileAsSysfsWritesIt() throws IOException {
        assertEquals(220336, TxCounter.parse("220336\n"));
        assertEquals(0, TxCounter.parse("0\n"));
        assertEquals(Long.MAX_VALUE, TxCounter.parse(Long.MAX_VALUE + "\n"));
    }

    @Test
    void refusesWhatIsNoCounter() {
        assertThrows(IOException.class, () -> TxCounter.parse(""));
        assertThrows(IOException.class, () -> TxCounter.parse("cat: /sys/class/net/eth0/statistics/tx_packets: No such file"));
        assertThrows(IOException.class, () -> TxCounter.parse("-5\n"));
        assertThrows(IOException.class, () -> TxCounter.parse("99999999999999999999\n"));
    }
}
