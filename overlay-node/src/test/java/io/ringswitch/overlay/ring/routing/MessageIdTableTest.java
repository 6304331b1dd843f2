package io.ringswitch.overlay.ring.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table of messages awaiting hop acks answers as a {@code HashMap<Long, V>} would, through
 * growth and removals that shift runs back, for any id (0, negative ones, ids that differ only in
 * their top bits, which a plain multiplicative hash would put in one slot).
 */
class MessageIdTableTest {

    @Test
    void answersAsAHashMapThroughPutsAndRemoves() {
        Random random = new Random(21);
        MessageIdTable<String> table = new MessageIdTable<>();
        Map<Long, String> expected = new HashMap<>();
        List<Long> ids = new ArrayList<>(List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        for (int i = 0; i < 100; i++) {
            ids.add(random.nextLong());
            ids.add((long) i << 56);
        }
        for (int step = 0; step < 50_000; step++) {
            long id = ids.get(random.nextInt(random.nextBoolean() ? 12 : ids.size()));
            switch (random.nextInt(3)) {
                case 0 -> {
                    String value = "v" + step;
                    assertEquals(expected.put(id, value), table.put(id, value), "what put replaced");
                }
                case 1 -> assertEquals(expected.remove(id), table.remove(id), "what remove took");
                default -> assertEquals(expected.get(id), table.get(id));
            }
            assertEquals(expected.size(), table.size());
        }
        for (long id : ids) {
            assertEquals(expected.get(id), table.get(id), "id " + id);
            assertEquals(expected.containsKey(id), table.containsKey(id));
        }
        List<String> walked = new ArrayList<>();
        table.forEach(walked::add);
        assertEquals(expected.values().stream().sorted().toList(), walked.stream().sorted().toList());
        table.clear();
        assertEquals(0, table.size());
        assertNull(table.get(ids.get(0)));
    }

    @Test
    void aWalkMayRemoveWhatItVisits() {
        MessageIdTable<Long> table = new MessageIdTable<>();
        for (long id = 0; id < 1000; id++) {
            table.put(id * 7919, id);
        }
        table.forEach(id -> table.remove(id * 7919));
        assertEquals(0, table.size());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> new MessageIdTable<String>().put(1, null));
    }
}
