// expect: none
function renderRows(rows) {
  return rows.map((row, i) => `<tr class="${i % 2 === 0 ? 'even' : 'odd'}">${row.map((c) => `<td>${c}</td>`).join('')}</tr>`);
}

function secondsPart(ms) {
  return Math.floor(ms / 1000) % 60;
}
