// expect: idempotency store=redis command="SET NX EX" keyShape="notify:{job.id}" ttlSeconds=600 atomic=true risks=ttl-bounds-dedup-window
async function sendOnce(client, job) {
  const fresh = await client.set(`notify:${job.id}`, 'sent', { NX: true, EX: 600 });
  if (!fresh) return;
  try {
    await mailer.send(job.to, job.template);
  } catch (err) {
    await client.del(`notify:${job.id}`);
    throw err;
  }
}
