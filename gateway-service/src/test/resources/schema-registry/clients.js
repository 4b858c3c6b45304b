// Confluent's schema registry clients from npm (written by nobody here) against Sluice's registry and Kafka listener:
// @kafkajs/confluent-schema-registry registers Avro, Protobuf and JSON Schema schemas, encodes a record with each and
// decodes it; kafkajs produces the Avro record and reads it back, the other client decodes it, and Sluice's HTTP API
// reads it as JSON (value_format=avro);
// @confluentinc/schemaregistry (Confluent's own) looks the schema up, serializes with its Avro serializer and
// deserializes what the first client encoded; an incompatible schema is refused with 409.
//
// usage: node clients.js REGISTRY_URL BOOTSTRAP TOPIC
// Prints progress lines, then one JSON summary as its last line; exits non-zero on any failure.
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');
const confluent = require('@confluentinc/schemaregistry');

const [registryUrl, bootstrap, topic] = process.argv.slice(2);
const subject = `${topic}-value`;

const payment = {
  type: 'record', name: 'Payment', namespace: 'io.example',
  fields: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'double' }],
};
const paymentV2 = {
  type: 'record', name: 'Payment', namespace: 'io.example',
  fields: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'double' },
    { name: 'currency', type: 'string', default: 'EUR' }],
};
const paymentBroken = {
  type: 'record', name: 'Payment', namespace: 'io.example', fields: [{ name: 'id', type: 'long' }],
};
const proto = `syntax = "proto3";
package io.example;
message Shipment {
  string id = 1;
  int32 parcels = 2;
}`;
const jsonSchema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#', type: 'object',
  properties: { id: { type: 'string' }, done: { type: 'boolean' } }, required: ['id'],
});

async function main() {
  const summary = {};
  const registry = new SchemaRegistry({ host: registryUrl });

  const { id: avroId } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(payment) },
    { subject });
  const { id: sameId } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(payment) },
    { subject });
  const encoded = await registry.encode(avroId, { id: 'p-1', amount: 12.5 });
  summary.avroId = avroId;
  summary.sameIdAgain = sameId === avroId;
  summary.magicAndId = [encoded[0], encoded.readInt32BE(1)];
  summary.avroDecoded = await registry.decode(encoded);
  console.log('registered and encoded Avro', avroId);

  const { id: protoId } = await registry.register({ type: SchemaType.PROTOBUF, schema: proto },
    { subject: `${topic}-shipments-value` });
  const protoEncoded = await registry.encode(protoId, { id: 's-1', parcels: 3 });
  summary.protoDecoded = await registry.decode(protoEncoded);
  const { id: jsonId } = await registry.register({ type: SchemaType.JSON, schema: jsonSchema },
    { subject: `${topic}-tasks-value` });
  const jsonEncoded = await registry.encode(jsonId, { id: 't-1', done: true });
  summary.jsonDecoded = await registry.decode(jsonEncoded);
  console.log('registered Protobuf', protoId, 'and JSON Schema', jsonId);

  const kafka = new Kafka({ clientId: 'schema-registry-clients', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'p-1', value: encoded }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}-readers` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const consumed = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no record within 60 s')), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        clearTimeout(timer);
        resolve(message.value);
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  summary.consumedDecoded = await registry.decode(consumed);
  console.log('produced and consumed through Kafka');

  // The record the client encoded, read back over Sluice's HTTP API as JSON, decoded by the gateway with its schema.
  const gateway = registryUrl.replace(/\/schema-registry$/, '');
  const page = await (await fetch(`${gateway}/v1/topics/${topic}/partitions/0/records?offset=earliest`
    + '&value_format=avro')).json();
  summary.httpRead = { value: page.records[0].value, format: page.records[0].value_format,
    schemaId: page.records[0].value_schema_id };

  const client = new confluent.SchemaRegistryClient({ baseURLs: [registryUrl] });
  const latest = await client.getLatestSchemaMetadata(subject);
  summary.confluentLatest = { id: latest.id, version: latest.version };
  const serializer = new confluent.AvroSerializer(client, confluent.SerdeType.VALUE, { useLatestVersion: true });
  const deserializer = new confluent.AvroDeserializer(client, confluent.SerdeType.VALUE, {});
  const serialized = await serializer.serialize(topic, { id: 'p-2', amount: 7 });
  summary.confluentRoundTrip = await deserializer.deserialize(topic, serialized);
  summary.confluentReadsKafkajs = await deserializer.deserialize(topic, consumed);
  summary.confluentCompatible = await client.testSubjectCompatibility(subject,
    { schemaType: 'AVRO', schema: JSON.stringify(paymentV2) });
  const v2 = await client.register(subject, { schemaType: 'AVRO', schema: JSON.stringify(paymentV2) });
  summary.v2Id = v2;
  try {
    await client.register(subject, { schemaType: 'AVRO', schema: JSON.stringify(paymentBroken) });
    summary.incompatible = 'registered';
  } catch (e) {
    summary.incompatible = { status: e.status, errorCode: e.errorCode };
  }
  console.log('Confluent client done');
  console.log(JSON.stringify(summary));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
