export default {
  cancel: 'Cancel',
  close: 'Close',
  done: 'Done',
  previous: 'Previous',
  next: 'Next',
  toast: {
    label: 'Notification',
    // Radix fills in {hotkey} (single braces) with the keyboard shortcut.
    viewport: 'Notifications ({hotkey})',
  },
  table: {
    search: 'Search',
    searchPlaceholder: 'Search…',
    noResults: 'No results',
    pagination: 'Pagination',
    pageOf: 'Page {{page}} of {{pageCount}}',
    sortAscending: 'Sort ascending',
    sortDescending: 'Sort descending',
    clearSort: 'Clear sorting',
  },
  calendar: {
    previousMonth: 'Previous month',
    nextMonth: 'Next month',
    dayWithEvents: '{{date}}, events: {{total}}',
  },
  dateTimePicker: {
    pickDate: 'Pick a date',
    time: 'Time',
    noTime: 'Choose time',
  },
}
