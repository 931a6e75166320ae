// expect: none
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
function dayName(offset) {
  return DAYS[(new Date().getDay() + offset) % DAYS.length];
}
