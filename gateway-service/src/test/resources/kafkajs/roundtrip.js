// kafkajs (from npm) against Sluice's Kafka listener; run by KafkaJsIT as: node roundtrip.js <bootstrap> <topic> <run id>
// An idempotent producer writes keyed records; a transactional one commits a batch and aborts another; two consumers
// of one group (read_committed, kafkajs's default) read until every committed record has come and the group has
// committed past what they read, as the admin client reads it. The last line printed is a JSON summary for the test to judge.
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, topic, run] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'kafkajs-it-' + run, brokers: [bootstrap], logLevel: logLevel.WARN,
  retry: { retries: 10 } });
const KEYED = 300;
const TRANSACTIONAL = 20;

async function main() {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < KEYED; i += 50) {
    const messages = [];
    for (let j = i; j < i + 50; j++) {
      messages.push({ key: 'key-' + (j % 7), value: 'keyed-' + j });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();

  const transactional = kafka.producer({ transactionalId: 'kafkajs-txn-' + run, idempotent: true,
    maxInFlightRequests: 1 });
  await transactional.connect();
  const committed = await transactional.transaction();
  await committed.send({ topic, messages: range(TRANSACTIONAL).map(i => ({ key: 'txn', value: 'committed-' + i })) });
  await committed.commit();
  const aborted = await transactional.transaction();
  await aborted.send({ topic, messages: range(TRANSACTIONAL).map(i => ({ key: 'txn', value: 'aborted-' + i })) });
  await aborted.abort();
  await transactional.disconnect();

  const group = 'kafkajs-group-' + run;
  const expected = KEYED + TRANSACTIONAL;
  const seen = [];
  const consumers = [0, 1].map(() => kafka.consumer({ groupId: group }));
  let done;
  const all = new Promise(resolve => { done = resolve; });
  for (const consumer of consumers) {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommitInterval: 100,
      eachMessage: async ({ partition, message }) => {
        seen.push({ partition, offset: message.offset, value: message.value.toString() });
        if (seen.filter(s => !s.value.startsWith('aborted-')).length >= expected) {
          done();
        }
      },
    });
  }
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('not every record came within 60 s; '
    + seen.length + ' did')), 60000));
  await Promise.race([all, timeout]);
  // The group's commits (every 100 ms) reach past the last record read on every partition, then the members leave.
  const lastRead = {};
  for (const s of seen) {
    lastRead[s.partition] = Math.max(lastRead[s.partition] ?? -1, Number(s.offset));
  }
  const admin = kafka.admin();
  await admin.connect();
  let offsets;
  for (let attempt = 0; ; attempt++) {
    offsets = Object.fromEntries((await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions
      .map(p => [p.partition, Number(p.offset)]));
    if (Object.entries(lastRead).every(([p, last]) => offsets[p] > last)) {
      break;
    }
    if (attempt === 150) {
      throw new Error('the group did not commit past ' + JSON.stringify(lastRead) + ': ' + JSON.stringify(offsets));
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  for (const consumer of consumers) {
    await consumer.disconnect();
  }
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const values = seen.map(s => s.value);
  console.log(JSON.stringify({
    read: values.length,
    distinct: new Set(values).size,
    keyed: values.filter(v => v.startsWith('keyed-')).length,
    committed: values.filter(v => v.startsWith('committed-')).length,
    aborted: values.filter(v => v.startsWith('aborted-')).length,
    lastRead,
    committedOffsets: offsets,
    highWatermarks: Object.fromEntries(ends.map(p => [p.partition, Number(p.high)])),
  }));
}

function range(n) {
  return Array.from({ length: n }, (_, i) => i);
}

main().then(() => process.exit(0), error => { console.error(error); process.exit(1); });
