import type en from '../en/common.ts'

export default {
  appName: 'Встреча',
  language: 'Язык',
  nav: {
    chats: 'Чаты',
    meetings: 'Встречи',
    calendar: 'Календарь',
    organization: 'Организация',
    settings: 'Настройки',
    signOut: 'Выйти',
    mainNavigation: 'Основная навигация',
    account: 'Учётная запись',
  },
  validation: {
    required: 'Обязательное поле',
    email: 'Введите корректный адрес почты',
    passwordTooShort: 'Не меньше 8 символов',
    passwordsDiffer: 'Пароли не совпадают',
    tooLong: 'Слишком длинно',
    invalid: 'Недопустимое значение',
    endBeforeStart: 'Окончание должно быть позже начала',
    timeZone: 'Неизвестный часовой пояс',
    color: 'Укажите цвет вида #4f46e5',
    url: 'Укажите адрес https://',
  },
  errors: {
    home: 'На главную',
    notFound: {
      title: 'Не найдено',
      description: 'Такой страницы или встречи нет, либо ссылка больше не действует.',
    },
    tooManyRequests: {
      title: 'Слишком много попыток',
      description: 'Подождите несколько минут и попробуйте снова.',
    },
    forbidden: {
      title: 'Нет доступа',
      description: 'У вас нет доступа к этому разделу.',
    },
    unexpected: {
      title: 'Что-то пошло не так',
      description: 'Произошла непредвиденная ошибка. Попробуйте ещё раз чуть позже.',
    },
    rateLimited: 'Слишком много попыток. Подождите несколько минут и попробуйте снова.',
  },
  theme: {
    label: 'Тема',
    light: 'Светлая',
    dark: 'Тёмная',
    system: 'Как на устройстве',
  },
  copied: 'Ссылка скопирована',
  copyFailed: 'Не удалось скопировать — выделите ссылку и скопируйте вручную',
  copyLink: 'Скопировать ссылку',
  save: 'Сохранить',
  saved: 'Сохранено',
  back: 'Назад',
} satisfies typeof en
