"""confluent-kafka-python (Debian's python3-confluent-kafka, on librdkafka) against Sluice's Kafka listener.

Run by PythonConfluentKafkaIT as: python3 roundtrip.py <bootstrap> <topic> <run id>. An idempotent producer writes
keyed records; a transactional one commits a batch and aborts another; a consumer of a group reads read_committed until
every committed record has come, commits its positions and reads them back with the partitions' high watermarks. The
last line printed is a JSON summary for the test to judge.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, topic, run = sys.argv[1:4]
KEYED = 300
TRANSACTIONAL = 20
PARTITIONS = 3


def delivered(err, msg):
    if err is not None:
        raise RuntimeError("not delivered: %s" % err)


producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True,
                     "partitioner": "murmur2_random"})
for i in range(KEYED):
    producer.produce(topic, key="key-%d" % (i % 7), value="keyed-%d" % i, on_delivery=delivered)
    producer.poll(0)
if producer.flush(30) != 0:
    raise RuntimeError("records left unsent")

transactional = Producer({"bootstrap.servers": bootstrap, "transactional.id": "python-txn-" + run})
transactional.init_transactions(30)
transactional.begin_transaction()
for i in range(TRANSACTIONAL):
    transactional.produce(topic, key="txn", value="committed-%d" % i)
transactional.commit_transaction(30)
transactional.begin_transaction()
for i in range(TRANSACTIONAL):
    transactional.produce(topic, key="txn", value="aborted-%d" % i)
transactional.flush(30)
transactional.abort_transaction(30)

group = "python-group-" + run
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                     "enable.auto.commit": False, "isolation.level": "read_committed"})
consumer.subscribe([topic])
values = []
last_read = {}
deadline = time.time() + 60
while len([v for v in values if not v.startswith("aborted-")]) < KEYED + TRANSACTIONAL:
    if time.time() > deadline:
        raise RuntimeError("not every record came within 60 s; %d did" % len(values))
    msg = consumer.poll(0.5)
    if msg is None:
        continue
    if msg.error():
        raise RuntimeError(str(msg.error()))
    values.append(msg.value().decode())
    last_read[msg.partition()] = max(last_read.get(msg.partition(), -1), msg.offset())
consumer.commit(asynchronous=False)
partitions = [TopicPartition(topic, p) for p in range(PARTITIONS)]
committed = {tp.partition: tp.offset for tp in consumer.committed(partitions, timeout=30)}
high = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1] for p in range(PARTITIONS)}
consumer.close()

print(json.dumps({
    "read": len(values),
    "distinct": len(set(values)),
    "keyed": len([v for v in values if v.startswith("keyed-")]),
    "committed": len([v for v in values if v.startswith("committed-")]),
    "aborted": len([v for v in values if v.startswith("aborted-")]),
    "lastRead": {str(p): o for p, o in last_read.items()},
    "committedOffsets": {str(p): o for p, o in committed.items()},
    "highWatermarks": {str(p): o for p, o in high.items()},
}))
