/*
 * Zhibing chat widget: one <script> tag on any site.
 *
 *   <script src="https://zhibing.example.com/widget.js" data-key="zb_widget_…" data-persona="hua-zhibing" defer></script>
 *
 * Optional attributes: data-server (defaults to the script's origin), data-title, data-open ("true"
 * to start open), data-lang. Renders a launcher and a chat panel with an avatar inside a shadow
 * root (the host page's CSS cannot break it), talks to the /chat socket.io namespace, streams
 * replies, and resumes the conversation after a reload or a dropped connection.
 * Needs the socket.io client, which the gateway bundles in front of this file as `io`.
 */
(function zhibingWidget(global) {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-persona][data-key]');
  if (!script || global.__zhibingWidgetLoaded) return;
  global.__zhibingWidgetLoaded = true;

  var config = {
    key: script.getAttribute('data-key') || '',
    persona: script.getAttribute('data-persona') || 'hua-zhibing',
    server: script.getAttribute('data-server') || new URL(script.src, location.href).origin,
    title: script.getAttribute('data-title') || '',
    open: script.getAttribute('data-open') === 'true',
  };
  // Take-over lines (a person answering instead of the persona), in the page's language.
  var OPERATOR_TEXT = /^en/i.test(
    script.getAttribute('data-lang') || document.documentElement.lang || navigator.language,
  )
    ? { joined: ' joined the conversation', left: 'The assistant is answering again' }
    : { joined: ' 接入了对话（人工）', left: '人工已离开，由助手继续回答' };
  var storageKey = 'zhibing:' + config.persona;
  var saved = readSaved();

  var STYLE = [
    ':host{all:initial;font-family:system-ui,"WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;}',
    '.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#2f6fed;color:#fff;font-size:24px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646}',
    '.panel{position:fixed;right:20px;bottom:88px;width:340px;max-width:calc(100vw - 40px);height:480px;max-height:calc(100vh - 120px);background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483647}',
    '.panel.open{display:flex}',
    'header{display:flex;align-items:center;gap:10px;padding:10px 12px;background:#2f6fed;color:#fff}',
    'header .name{font-weight:600;font-size:15px}header .status{font-size:12px;opacity:.85}',
    '.avatar{width:40px;height:40px;flex:none}',
    '.avatar .mouth{transition:all .1s}',
    '.photo{width:40px;height:40px;flex:none;border-radius:50%;object-fit:cover;border:2px solid #fff;box-sizing:border-box}',
    '.photo.speaking{animation:pulse .3s infinite alternate}',
    '@keyframes pulse{to{box-shadow:0 0 0 3px rgba(255,255,255,.55)}}',
    '.avatar.speaking .mouth{animation:talk .25s infinite alternate}',
    '.avatar.thinking .eyes{animation:blink 1s infinite}',
    '@keyframes talk{from{transform:scaleY(.3)}to{transform:scaleY(1.2)}}',
    '@keyframes blink{50%{transform:translateY(-1px)}}',
    '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7fb}',
    '.msg{max-width:80%;padding:8px 11px;border-radius:12px;font-size:14px;line-height:1.45;white-space:pre-wrap;word-break:break-word}',
    '.msg.user{align-self:flex-end;background:#2f6fed;color:#fff;border-bottom-right-radius:4px}',
    '.msg.persona{align-self:flex-start;background:#fff;color:#222;border:1px solid #e3e6ef;border-bottom-left-radius:4px}',
    '.msg.interrupted::after{content:" …";opacity:.6}',
    '.msg.notice{align-self:center;background:none;color:#a33;font-size:12px}',
    '.msg.handover{align-self:center;background:none;color:#667;font-size:12px}',
    '.msg .who{display:block;font-size:11px;font-weight:600;color:#2f6fed;margin-bottom:2px}',
    'form{display:flex;gap:6px;padding:10px;border-top:1px solid #e3e6ef}',
    'textarea{flex:1;resize:none;height:38px;padding:8px;border:1px solid #cdd3e0;border-radius:8px;font:inherit;font-size:14px}',
    'button.send{border:0;border-radius:8px;background:#2f6fed;color:#fff;padding:0 14px;font-size:14px;cursor:pointer}',
    'button.send[disabled]{opacity:.5;cursor:default}',
  ].join('\n');

  var AVATAR =
    '<svg class="avatar listening" viewBox="0 0 40 40" aria-hidden="true">' +
    '<circle cx="20" cy="20" r="19" fill="#ffe2c6" stroke="#fff" stroke-width="2"/>' +
    '<path d="M4 16 Q20 -4 36 16 Q30 8 20 9 Q10 8 4 16Z" fill="#3b2a22"/>' +
    '<g class="eyes" fill="#3b2a22"><circle cx="14" cy="19" r="2"/><circle cx="26" cy="19" r="2"/></g>' +
    '<ellipse class="mouth" cx="20" cy="28" rx="4" ry="2" fill="#c0504d" style="transform-origin:20px 28px"/></svg>';

  var host = document.createElement('div');
  host.setAttribute('data-zhibing-widget', config.persona);
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    STYLE +
    '</style>' +
    '<button class="launcher" part="launcher" aria-label="Chat"><svg viewBox="0 0 24 24" width="26" height="26" fill="#fff" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg></button>' +
    '<section class="panel" role="dialog" aria-label="Chat"><header>' +
    AVATAR +
    '<img class="photo listening" alt="" hidden>' +
    '<div><div class="name"></div><div class="status">…</div></div></header>' +
    '<div class="log" aria-live="polite"></div>' +
    '<form><textarea rows="1" maxlength="4000" placeholder="…"></textarea><button class="send" type="submit">➤</button></form></section>';
  document.body.appendChild(host);

  var ui = {
    launcher: root.querySelector('.launcher'),
    panel: root.querySelector('.panel'),
    avatar: root.querySelector('.avatar'),
    photo: root.querySelector('.photo'),
    name: root.querySelector('.name'),
    status: root.querySelector('.status'),
    log: root.querySelector('.log'),
    form: root.querySelector('form'),
    input: root.querySelector('textarea'),
    send: root.querySelector('button.send'),
  };
  ui.name.textContent = config.title || config.persona;
  var replies = {}; // turnId → element of a streaming reply
  var conversationId = saved.conversationId || null;
  var visitorId = saved.visitorId || randomId();
  var socket = null;

  ui.launcher.addEventListener('click', function () {
    setOpen(!ui.panel.classList.contains('open'));
  });
  ui.form.addEventListener('submit', function (event) {
    event.preventDefault();
    send();
  });
  ui.input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  if (config.open) setOpen(true);

  function setOpen(open) {
    ui.panel.classList.toggle('open', open);
    if (open && !socket) connect();
    if (open) ui.input.focus();
  }

  function connect() {
    socket = global.io(config.server + '/chat', { auth: { key: config.key }, transports: ['websocket', 'polling'] });
    socket.on('connect', startSession);
    socket.on('disconnect', function () {
      setStatus('…');
    });
    socket.on('connect_error', function (error) {
      notice(error && error.message ? error.message : 'connection failed');
    });
    socket.on('reply.start', function (event) {
      replyElement(event.turnId);
      if (event.from) return;
      setAvatar('thinking');
    });
    socket.on('reply.delta', function (event) {
      var element = replyElement(event.turnId);
      element.textContent += event.text;
      scroll();
    });
    socket.on('reply.end', function (event) {
      var element = replyElement(event.turnId);
      element.textContent = event.text;
      showAuthor(element, event.from);
      if (event.finishReason === 'cancelled' || event.finishReason === 'interrupted')
        element.classList.add('interrupted');
      delete replies[event.turnId];
      setAvatar('listening');
      scroll();
    });
    socket.on('conversation.takeover', function (event) {
      bubble('handover', event.operatorName + OPERATOR_TEXT.joined);
    });
    socket.on('conversation.handback', function () {
      bubble('handover', OPERATOR_TEXT.left);
    });
    socket.on('avatar.state', function (event) {
      setAvatar(event.state, event.emotion);
    });
    socket.on('error', function (event) {
      notice((event && (event.message || event.code)) || 'error');
    });
  }

  /** The persona's own avatar image instead of the drawn face (kept if the image fails to load). */
  function showPhoto(src, name) {
    ui.photo.onload = function () {
      ui.photo.hidden = false;
      ui.avatar.style.display = 'none';
    };
    ui.photo.alt = name || '';
    ui.photo.src = src;
  }

  function startSession() {
    setStatus('…');
    socket.emit(
      'session.start',
      { personaId: config.persona, visitorId: visitorId, conversationId: conversationId || undefined },
      function (ack) {
        var result = unwrap(ack);
        if (!result) return;
        var fresh = result.conversationId !== conversationId;
        conversationId = result.conversationId;
        writeSaved();
        if (result.persona && result.persona.name && !config.title) ui.name.textContent = result.persona.name;
        if (result.avatarUrl) showPhoto(new URL(result.avatarUrl, config.server).href, ui.name.textContent);
        setStatus('online');
        var history = result.history || result.turns || [];
        if (fresh || ui.log.childElementCount === 0) {
          ui.log.innerHTML = '';
          if (history.length === 0 && result.greeting) bubble('persona', result.greeting);
          history.forEach(function (turn) {
            var element = bubble(turn.role === 'user' ? 'user' : 'persona', turn.text);
            showAuthor(element, turn.from);
            if (turn.status === 'interrupted' || turn.status === 'failed') element.classList.add('interrupted');
          });
        }
      },
    );
  }

  function send() {
    var text = ui.input.value.trim();
    if (!text || !socket || !conversationId) return;
    ui.input.value = '';
    bubble('user', text);
    socket.emit('message', { conversationId: conversationId, clientMessageId: randomId(), text: text }, function (ack) {
      unwrap(ack);
    });
  }

  function unwrap(ack) {
    if (ack && ack.error) {
      notice(ack.error.message || ack.error.code);
      return null;
    }
    if (ack && ack.ok === false) {
      notice(ack.message || ack.code || 'error');
      return null;
    }
    return ack && ack.data ? ack.data : ack;
  }

  function replyElement(turnId) {
    if (!replies[turnId]) {
      replies[turnId] = bubble('persona', '');
      replies[turnId].setAttribute('data-turn', turnId);
    }
    return replies[turnId];
  }

  /** A reply an operator wrote says who wrote it (take-over). */
  function showAuthor(element, from) {
    if (!from || from.kind !== 'operator') return;
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = from.name;
    element.classList.add('operator');
    element.insertBefore(who, element.firstChild);
  }

  function bubble(role, text) {
    var element = document.createElement('div');
    element.className = 'msg ' + role;
    element.textContent = text;
    ui.log.appendChild(element);
    scroll();
    return element;
  }

  function notice(text) {
    bubble('notice', text);
  }
  function setStatus(text) {
    ui.status.textContent = text;
  }
  function scroll() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function setAvatar(state, emotion) {
    ui.avatar.setAttribute('class', 'avatar ' + (state || 'listening'));
    ui.photo.setAttribute('class', 'photo ' + (state || 'listening'));
    if (emotion) ui.avatar.setAttribute('data-emotion', emotion);
    setStatus(state === 'speaking' ? '…' : state === 'thinking' ? '…' : 'online');
  }

  function randomId() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    return 'v' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function readSaved() {
    try {
      return JSON.parse(global.localStorage.getItem(storageKey) || '{}') || {};
    } catch {
      return {};
    }
  }

  function writeSaved() {
    try {
      global.localStorage.setItem(storageKey, JSON.stringify({ conversationId: conversationId, visitorId: visitorId }));
    } catch {
      /* private mode: the conversation is not resumed after a reload */
    }
  }

  global.ZhibingWidget = {
    open: function () {
      setOpen(true);
    },
    close: function () {
      setOpen(false);
    },
  };
})(window);
