package io.sluice.coordinator.share;

import io.sluice.internal.SluiceJson;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of archived records waiting in the dead-letter outbox: records of one share-partition at consecutive offsets,
 * archived by one call with the same delivery count and cause, and the dead-letter topic and copy setting the group
 * had then. Stored as a member of the outbox's sorted set ({@code sluice:share-dlq-outbox}), scored by its id:
 * <pre>
 *   member:  00000000000000000042 {"group":"g","topic":"orders","partition":3,"first_offset":17,"last_offset":19,
 *                                  "delivery_count":5,"cause":"DELIVERY_COUNT_EXCEEDED","dlq_topic":"dlq.orders",
 *                                  "copy_record":false}
 * </pre>
 * The id (a Redis counter, 20 digits so members sort as their ids do) is given by the script that stores the run with
 * the archiving state change; the JSON after it is this record's {@link #document()}.
 *
 * @param id 0 until stored
 */
record DeadLetterEntry(long id, String group, String topic, int partition, long firstOffset, long lastOffset,
                       int deliveryCount, DeadLetterCause cause, String dlqTopic, boolean copyRecord) {

    private static final JsonMapper JSON = SluiceJson.mapper();

    DeadLetterEntry {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("A run of archived records needs 0 <= first <= last offset, not "
                    + firstOffset + ".." + lastOffset);
        }
    }

    /**
     * The runs of {@code archived} (records of {@code source} one call archived) for a group with {@code settings}: none
     * when the group names no dead-letter topic, else records at consecutive offsets with the same delivery count and
     * cause as one run each, by offset.
     */
    static List<DeadLetterEntry> runs(String group, TopicPartition source, List<ArchivedRecord> archived,
                                      DeadLetterSettings settings) {
        if (settings.topic().isEmpty() || archived.isEmpty()) {
            return List.of();
        }
        String dlqTopic = settings.topic().get();
        List<ArchivedRecord> sorted = archived.stream().sorted(Comparator.comparingLong(ArchivedRecord::offset))
                .toList();
        List<DeadLetterEntry> runs = new ArrayList<>();
        ArchivedRecord first = sorted.getFirst();
        ArchivedRecord last = first;
        for (ArchivedRecord record : sorted.subList(1, sorted.size())) {
            if (record.offset() == last.offset() + 1 && record.deliveryCount() == first.deliveryCount()
                    && record.cause() == first.cause()) {
                last = record;
                continue;
            }
            runs.add(new DeadLetterEntry(0, group, source.topic(), source.partition(), first.offset(), last.offset(),
                    first.deliveryCount(), first.cause(), dlqTopic, settings.copyRecord()));
            first = record;
            last = record;
        }
        runs.add(new DeadLetterEntry(0, group, source.topic(), source.partition(), first.offset(), last.offset(),
                first.deliveryCount(), first.cause(), dlqTopic, settings.copyRecord()));
        return runs;
    }

    TopicPartition source() {
        return new TopicPartition(topic, partition);
    }

    /** How many records the run holds. */
    long records() {
        return lastOffset - firstOffset + 1;
    }

    /** The JSON the script stores after the id. */
    String document() {
        return JSON.writeValueAsString(new Stored(group, topic, partition, firstOffset, lastOffset, deliveryCount,
                cause, dlqTopic, copyRecord));
    }

    /** An outbox member as stored; IllegalArgumentException naming the fault when it is not one. */
    static DeadLetterEntry parse(String member) {
        int space = member.indexOf(' ');
        if (space < 1) {
            throw new IllegalArgumentException("no id before the document: " + member);
        }
        try {
            long id = Long.parseLong(member.substring(0, space));
            Stored s = JSON.readValue(member.substring(space + 1), Stored.class);
            if (s.group() == null || s.topic() == null || s.cause() == null || s.dlqTopic() == null) {
                throw new IllegalArgumentException("incomplete: " + member);
            }
            return new DeadLetterEntry(id, s.group(), s.topic(), s.partition(), s.firstOffset(), s.lastOffset(),
                    s.deliveryCount(), s.cause(), s.dlqTopic(), s.copyRecord());
        } catch (NumberFormatException | JacksonException e) {
            throw new IllegalArgumentException("not an outbox entry (" + e.getMessage() + "): " + member, e);
        }
    }

    private record Stored(String group, String topic, int partition, long firstOffset, long lastOffset,
                          int deliveryCount, DeadLetterCause cause, String dlqTopic, boolean copyRecord) {
    }
}
