import type en from '../en/ui.ts'

export default {
  cancel: 'Отмена',
  close: 'Закрыть',
  done: 'Готово',
  previous: 'Назад',
  next: 'Далее',
  toast: {
    label: 'Уведомление',
    viewport: 'Уведомления ({hotkey})',
  },
  table: {
    search: 'Поиск',
    searchPlaceholder: 'Поиск…',
    noResults: 'Ничего не найдено',
    pagination: 'Страницы',
    pageOf: 'Страница {{page}} из {{pageCount}}',
    sortAscending: 'Сортировать по возрастанию',
    sortDescending: 'Сортировать по убыванию',
    clearSort: 'Сбросить сортировку',
  },
  calendar: {
    previousMonth: 'Предыдущий месяц',
    nextMonth: 'Следующий месяц',
    dayWithEvents: '{{date}}, событий: {{total}}',
  },
  dateTimePicker: {
    pickDate: 'Выбрать дату',
    time: 'Время',
    noTime: 'Выберите время',
  },
} satisfies typeof en
