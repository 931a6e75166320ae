// expect: ordered-consumption routing=shared workers=10 framework=pLimit risks=order-lost-shared-queue
const pLimit = require('p-limit');
const limit = pLimit(10);

channel.consume('invoices', (message) => {
  limit(() => processInvoice(JSON.parse(message.content.toString()))).then(() => channel.ack(message));
});
