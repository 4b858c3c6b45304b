"""confluent-kafka-python's schema registry client and JSON Schema serializers (Debian's python3-confluent-kafka and
python3-jsonschema; written by nobody here) against Sluice's registry and Kafka listener: the serializer registers the
schema under the topic's subject and writes Confluent's wire format, the record is produced and consumed with the
Kafka client and deserialized, the client reads the subject's latest version and the schema by id, and an incompatible
schema is refused with 409 / 40901.

usage: python3 schemas.py REGISTRY_URL BOOTSTRAP TOPIC
Prints one JSON summary as its last line; exits non-zero on any failure.
"""
import json
import sys

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

registry_url, bootstrap, topic = sys.argv[1:4]
subject = topic + "-value"
task = json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "title": "Task", "type": "object",
                   "properties": {"id": {"type": "string"}, "done": {"type": "boolean"}}, "required": ["id"]})

client = SchemaRegistryClient({"url": registry_url})
context = SerializationContext(topic, MessageField.VALUE)
serialized = JSONSerializer(task, client)({"id": "t-1", "done": True}, context)

producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
producer.produce(topic, value=serialized)
assert producer.flush(30) == 0, "the record was not delivered"

consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": topic + "-readers", "auto.offset.reset": "earliest"})
consumer.subscribe([topic])
message = None
for _ in range(120):
    message = consumer.poll(0.5)
    if message is not None and message.error() is None:
        break
consumer.close()
assert message is not None and message.error() is None, "no record consumed"

latest = client.get_latest_version(subject)
by_id = client.get_schema(latest.schema_id)
summary = {
    "magic": serialized[0],
    "schemaId": int.from_bytes(serialized[1:5], "big"),
    "latestId": latest.schema_id,
    "latestVersion": latest.version,
    "schemaType": by_id.schema_type,
    "deserialized": JSONDeserializer(task)(message.value(), context),
}
try:
    client.register_schema(subject, Schema(json.dumps({"type": "object", "properties": {"id": {"type": "integer"}},
                                                      "required": ["id"], "additionalProperties": False}), "JSON"))
    summary["incompatible"] = "registered"
except SchemaRegistryError as error:
    summary["incompatible"] = {"status": error.http_status_code, "errorCode": error.error_code}
print(json.dumps(summary))
