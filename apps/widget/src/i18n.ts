/** The widget's two languages: every text and every error it shows exists in both. */
export type Lang = 'zh' | 'en';

export interface Texts {
  openChat: string;
  close: string;
  placeholder: string;
  send: string;
  stop: string;
  retry: string;
  newConversation: string;
  voiceOn: string;
  voiceOff: string;
  connecting: string;
  online: string;
  listening: string;
  thinking: string;
  speaking: string;
  replyFailed: string;
  interrupted: string;
  operatorJoined: (name: string) => string;
  operatorLeft: string;
  operatorAnswering: (name: string) => string;
  waitingForOperator: string;
  timeLeft: string;
  endScenario: string;
  submitForm: string;
  /** A form submitted with required fields empty. */
  missing: (labels: string[]) => string;
  scenarioEnded: string;
  /** By error code; codes not listed fall back to their family (suffix), then to `unknownError`. */
  errors: Record<string, string>;
  unknownError: (code: string) => string;
}

const zh: Texts = {
  openChat: '打开对话',
  close: '关闭',
  placeholder: '输入消息…',
  send: '发送',
  stop: '停止',
  retry: '重试',
  newConversation: '新对话',
  voiceOn: '开启语音朗读',
  voiceOff: '关闭语音朗读',
  connecting: '连接中…',
  online: '在线',
  listening: '在听',
  thinking: '思考中…',
  speaking: '正在说…',
  replyFailed: '回答没有完成',
  interrupted: '已停止',
  operatorJoined: (name) => `${name} 接入了对话（人工）`,
  operatorLeft: '人工已离开，由助手继续回答',
  operatorAnswering: (name) => `${name}（人工）`,
  waitingForOperator: '正在为您转接人工，请稍候…',
  timeLeft: '剩余时间',
  endScenario: '结束',
  submitForm: '提交',
  missing: (labels) => `请填写：${labels.join('、')}`,
  scenarioEnded: '本次对话已结束。',
  errors: {
    auth_unauthorized: '连接密钥无效，无法开始对话',
    auth_forbidden: '此网站未被允许使用这个对话窗口',
    auth_rate_limited: '尝试次数过多，请稍后再试',
    session_rate_limited: '开始对话过于频繁，请稍后再试',
    message_rate_limited: '消息发送过于频繁，请稍后再试',
    message_too_large: '消息太长了，请缩短后再发',
    message_invalid: '消息不能为空',
    message_conflict: '这条消息与之前的冲突，请重新输入',
    persona_forbidden: '这个对话窗口不能使用该角色',
    persona_not_found: '找不到这个角色',
    conversation_not_found: '找不到之前的对话，已为您开始新对话',
    session_required: '对话尚未开始，请稍候再试',
    form_invalid: '有的信息没填或不正确，请检查标红的项',
    scenario_phase_conflict: '这个环节已经结束了',
    scenario_not_found: '这个对话没有流程可以操作',
    reply_failed: '回答没有完成，请重试',
    gateway_unavailable: '服务正在重启，正在重新连接…',
    database_unavailable: '服务暂时不可用，消息没有保存，请稍后重试',
    request_timeout: '服务器没有响应，请检查网络后重试',
    connection_failed: '无法连接到服务器，正在重试…',
    internal_error: '服务器出错了，请稍后再试',
    _invalid: '输入的内容不正确，请检查后再试',
    _not_found: '找不到请求的内容',
    _conflict: '操作与当前状态冲突，请刷新后再试',
    _forbidden: '没有权限执行这个操作',
    _unauthorized: '没有通过身份验证',
    _rate_limited: '操作过于频繁，请稍后再试',
    _unavailable: '服务暂时不可用，请稍后再试',
    _timeout: '服务器响应超时，请稍后再试',
  },
  unknownError: (code) => `出错了（${code}），请稍后再试`,
};

const en: Texts = {
  openChat: 'Open the chat',
  close: 'Close',
  placeholder: 'Type a message…',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  newConversation: 'New conversation',
  voiceOn: 'Read replies aloud',
  voiceOff: 'Stop reading replies aloud',
  connecting: 'Connecting…',
  online: 'Online',
  listening: 'Listening',
  thinking: 'Thinking…',
  speaking: 'Speaking…',
  replyFailed: 'The reply did not complete',
  interrupted: 'Stopped',
  operatorJoined: (name) => `${name} joined the conversation`,
  operatorLeft: 'The assistant is answering again',
  operatorAnswering: (name) => `${name} (a person)`,
  waitingForOperator: 'Connecting you to a person, please wait…',
  timeLeft: 'Time left',
  endScenario: 'End',
  submitForm: 'Submit',
  missing: (labels) => `Please fill in: ${labels.join(', ')}`,
  scenarioEnded: 'This conversation has ended.',
  errors: {
    auth_unauthorized: 'The chat key is not valid: the conversation cannot start',
    auth_forbidden: 'This site is not allowed to use this chat',
    auth_rate_limited: 'Too many attempts: try again in a minute',
    session_rate_limited: 'Too many new conversations: try again in a minute',
    message_rate_limited: 'Too many messages: try again in a minute',
    message_too_large: 'The message is too long: shorten it and send again',
    message_invalid: 'The message is empty',
    message_conflict: 'This message conflicts with an earlier one: type it again',
    persona_forbidden: 'This chat may not use that persona',
    persona_not_found: 'This persona does not exist',
    conversation_not_found: 'The earlier conversation is gone: a new one started',
    session_required: 'The conversation has not started yet: try again in a moment',
    form_invalid: 'Some fields are missing or not valid: check the ones marked',
    scenario_phase_conflict: 'This step is already over',
    scenario_not_found: 'This conversation has no steps to act on',
    reply_failed: 'The reply did not complete: retry',
    gateway_unavailable: 'The server is restarting: reconnecting…',
    database_unavailable: 'The service is unavailable: the message was not stored, try again later',
    request_timeout: 'The server did not answer: check the network and retry',
    connection_failed: 'Cannot reach the server: retrying…',
    internal_error: 'The server had an error: try again later',
    _invalid: 'Something entered is not valid: check it and try again',
    _not_found: 'Not found',
    _conflict: 'That conflicts with the current state: reload and try again',
    _forbidden: 'Not allowed',
    _unauthorized: 'Not authenticated',
    _rate_limited: 'Too many requests: try again in a minute',
    _unavailable: 'The service is unavailable: try again later',
    _timeout: 'The server took too long: try again later',
  },
  unknownError: (code) => `Something went wrong (${code}): try again later`,
};

const byLang: Record<Lang, Texts> = { zh, en };

export function textsFor(lang: Lang): Texts {
  return byLang[lang];
}

/** What to show for an error code, in the widget's language (server messages are English only). */
export function errorText(texts: Texts, code: string): string {
  if (texts.errors[code]) return texts.errors[code];
  const family = Object.keys(texts.errors).find((suffix) => suffix.startsWith('_') && code.endsWith(suffix));
  return family ? texts.errors[family] : texts.unknownError(code);
}
