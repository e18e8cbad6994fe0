// The staff app's screens beyond the schedule: one line each. `open(param, me)` of the loaded module shows the
// screen for the address #<id> or #<id>=<param>; `close()` (optional) stops whatever it polls when another
// screen opens. `roles` say who sees it in the navigation (the API refuses the rest anyway).
export const SCREENS = [
  { id: 'book', label: 'bookNav', roles: ['staff', 'admin'], load: () => import('./staff-book.js') },
  { id: 'requests', label: 'requestsNav', roles: ['staff', 'admin'], load: () => import('./staff-requests.js') },
  { id: 'waitlist', label: 'waitlistNav', roles: ['staff', 'admin'], load: () => import('./staff-waitlist.js') },
  { id: 'disruptions', label: 'disruptionsNav', roles: ['staff', 'admin'], load: () => import('./staff-disruptions.js') },
  { id: 'hours', label: 'hoursNav', roles: ['staff', 'admin'], load: () => import('./staff-hours.js') },
  { id: 'catalog', label: 'catalogNav', roles: ['admin'], load: () => import('./staff-catalog.js') },
];
