// expect: distributed-transaction protocol=saga participants=["reserve-stock","charge-card","book-courier"] risks=missing-compensation,compensation-must-be-idempotent
const steps = [
  { name: 'reserve-stock', action: reserveStock, compensate: releaseStock },
  { name: 'charge-card', action: chargeCard, compensate: refundCard },
  { name: 'book-courier', action: bookCourier },
];

async function runSaga(order) {
  const done = [];
  for (const step of steps) {
    try {
      await step.action(order);
      done.push(step);
    } catch (e) {
      for (const s of done.reverse()) if (s.compensate) await s.compensate(order);
      throw e;
    }
  }
}
