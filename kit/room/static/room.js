/* The phone page of a phone round (docs/room.md): rate each practice of one area, give dots,
 * check, send. ES5 and XMLHttpRequest only, so that Android 8's and iOS 12's browsers run it;
 * no build step, nothing from the net.
 *
 * Every word comes from the `ui` object of api/round; texts of the deck go in as text nodes,
 * never as markup. Answers are kept in localStorage as they are chosen (in memory only where a
 * browser has no storage), sent with a one-time token, and sent again until the laptop
 * answers: a lost reply is safe to resend (the laptop answers "already").
 *
 * A round with voting slips (`slips` in api/round) asks for no token: the slip's code comes
 * from the address (?s=ABCD-EFGH) or is typed, is checked (api/slip) before the ballot, and
 * goes with the ballot and the page's own random name for it (`send`), the same on every
 * resend, so that a resend hears "already" and another copy of the slip is refused.
 */
(function () {
  'use strict';

  var PREFIX = 'tyopaja.room.';
  var LANG_KEY = PREFIX + 'lang';
  var TIMEOUT_MS = 10000;
  var RETRY_MS = 4000;
  var POLL_MS = 15000;
  var CHOSEN_MS = 350; // the chosen answer stays in sight this long before the next practice
  var SETTLE_MS = 300; // then the new buttons ignore a slow second tap this long
  var SLIP_WAIT_MS = 30000; // the laptop checks no slip for 30 s after too many wrong codes
  var SLIP_LENGTH = 8;

  // The page is at /CODE/ (the server sends /CODE there): every address is under the code.
  var segment = (/^\/([^\/?#]+)/.exec(window.location.pathname) || [null, ''])[1];
  var BASE = '/' + segment + '/';
  var CODE = segment.toUpperCase();
  var STATE_KEY = PREFIX + CODE;
  var ROUND_KEY = PREFIX + CODE + '.round';

  var app = document.getElementById('app');

  // ---- storage: localStorage where it works, memory always ----------------------------------

  var memory = {};
  var storage = null;
  try {
    window.localStorage.setItem(PREFIX + 'probe', '1');
    window.localStorage.removeItem(PREFIX + 'probe');
    storage = window.localStorage;
  } catch (e) {
    storage = null; // private mode, a captive-portal browser: memory only
  }

  function readItem(key) {
    var raw = null;
    if (memory.hasOwnProperty(key)) {
      raw = memory[key];
    } else if (storage) {
      try { raw = storage.getItem(key); } catch (e) { raw = null; }
    }
    if (raw === null || raw === undefined) { return null; }
    try { return JSON.parse(raw); } catch (e) { return null; }
  }

  function writeItem(key, value) {
    var raw = JSON.stringify(value);
    memory[key] = raw;
    if (storage) {
      try { storage.setItem(key, raw); } catch (e) { /* full or refused: memory has it */ }
    }
  }

  // ---- state ---------------------------------------------------------------------------------

  var R = null; // what api/round said
  var lang = 'fi';
  var st = freshState();
  var view = 'wait';
  var notice = null; // a passing word on the dots view, beside the practice tapped
  var status = 'sending'; // sending | retrying | busy
  var serverMessage = null;
  var sending = false;
  var retryTimer = null;
  var pollTimer = null;
  var unknownTokens = 0;
  var locked = false;
  var slipTyped = ''; // what is in the code field (memory only)
  var slipMessage = null; // why the code was not taken: {fi, en} from the laptop, or a string

  function freshState() {
    return { area: null, ratings: {}, dots: {}, view: 'intro', i: 0, edit: false,
             token: null, pending: false, sent: false, closed: false, lost: false,
             slip: null, send: null, spent: false };
  }

  function save() { writeItem(STATE_KEY, st); }

  function isObject(value) {
    return value !== null && typeof value === 'object' &&
      Object.prototype.toString.call(value) !== '[object Array]';
  }

  function restore() {
    var saved = readItem(STATE_KEY);
    var fresh = freshState();
    if (!isObject(saved)) { return fresh; }
    for (var key in fresh) {
      if (!fresh.hasOwnProperty(key) || !saved.hasOwnProperty(key)) { continue; }
      var value = saved[key];
      if (key === 'token' || key === 'area' || key === 'slip' || key === 'send') {
        if (typeof value === 'string') { fresh[key] = value; }
      } else if (typeof value === typeof fresh[key]) {
        fresh[key] = value;
      }
    }
    if (!isObject(fresh.ratings)) { fresh.ratings = {}; }
    if (!isObject(fresh.dots)) { fresh.dots = {}; }
    return fresh;
  }

  // Answers for what this round asks, and no more dots than it gives.
  function reconcile() {
    var known = {};
    var levels = {};
    var i;
    var id;
    if (st.area !== R.area.id) {
      st.ratings = {};
      st.dots = {};
      st.area = R.area.id;
      st.view = 'intro';
      st.i = 0;
    }
    for (i = 0; i < R.practices.length; i += 1) { known[R.practices[i].id] = true; }
    for (i = 0; i < R.levels.length; i += 1) { levels[R.levels[i].id] = true; }
    for (id in st.ratings) {
      if (st.ratings.hasOwnProperty(id) && !(has(known, id) && has(levels, st.ratings[id]))) {
        delete st.ratings[id];
      }
    }
    for (id in st.dots) {
      if (st.dots.hasOwnProperty(id)) {
        var n = st.dots[id];
        if (!has(known, id) || typeof n !== 'number' || n < 1 || n !== Math.floor(n)) {
          delete st.dots[id];
        }
      }
    }
    while (dotsUsed() > R.dots) {
      for (id in st.dots) {
        if (st.dots.hasOwnProperty(id) && dotsUsed() > R.dots) { take(id); }
      }
    }
    if (st.i < 0 || st.i >= R.practices.length) { st.i = 0; }
    if (st.view === 'practice' && !R.practices.length) { st.view = 'dots'; }
    if (typeof st.i !== 'number' || st.i !== Math.floor(st.i)) { st.i = 0; }
  }

  function has(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key);
  }

  function hasAnswers() {
    for (var id in st.ratings) { if (st.ratings.hasOwnProperty(id)) { return true; } }
    return dotsUsed() > 0;
  }

  function dotsUsed() {
    var used = 0;
    for (var id in st.dots) { if (st.dots.hasOwnProperty(id)) { used += st.dots[id]; } }
    return used;
  }

  function take(id) {
    if (st.dots[id] > 1) { st.dots[id] -= 1; } else { delete st.dots[id]; }
  }

  // ---- words ---------------------------------------------------------------------------------

  function table(code) {
    return (R && isObject(R.ui) && isObject(R.ui[code])) ? R.ui[code] : {};
  }

  // The page's own words (`page.*` from the server), with {n}-style placeholders and the
  // `.one` form for a count of one.
  function t(key, params) {
    var mine = table(lang);
    var fallback = table(R && R.lang) || {};
    var first = table('fi');
    if (params && params.n === 1 && (typeof mine[key + '.one'] === 'string' ||
        typeof fallback[key + '.one'] === 'string')) {
      key += '.one';
    }
    var text = mine[key];
    if (typeof text !== 'string') { text = fallback[key]; }
    if (typeof text !== 'string') { text = first[key]; }
    if (typeof text !== 'string') { text = key; }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return params && params.hasOwnProperty(name) ? String(params[name]) : whole;
    });
  }

  // A text of the deck: {"fi": "…", "en": "…"} in the chosen language, else the session's.
  function deckText(value) {
    if (typeof value === 'string') { return { text: value, lang: R.lang }; }
    if (!isObject(value)) { return { text: '', lang: lang }; }
    var order = [lang, R.lang, 'fi'];
    for (var i = 0; i < order.length; i += 1) {
      if (typeof value[order[i]] === 'string') { return { text: value[order[i]], lang: order[i] }; }
    }
    for (var code in value) {
      if (value.hasOwnProperty(code) && typeof value[code] === 'string') {
        return { text: value[code], lang: code };
      }
    }
    return { text: '', lang: lang };
  }

  function languages() {
    var codes = [];
    if (R && isObject(R.ui)) {
      for (var code in R.ui) { if (R.ui.hasOwnProperty(code) && isObject(R.ui[code])) { codes.push(code); } }
    }
    return codes;
  }

  // ---- building the page (text nodes only) ----------------------------------------------------

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var name in attrs) {
        if (!attrs.hasOwnProperty(name)) { continue; }
        var value = attrs[name];
        if (value === null || value === undefined || value === false) { continue; }
        if (name === 'onclick') {
          node.addEventListener('click', value, false);
        } else if (name === 'className') {
          node.className = value;
        } else {
          node.setAttribute(name, value === true ? '' : String(value));
        }
      }
    }
    append(node, kids);
    return node;
  }

  function append(node, kids) {
    if (kids === null || kids === undefined || kids === false) { return; }
    if (Object.prototype.toString.call(kids) !== '[object Array]') { kids = [kids]; }
    for (var i = 0; i < kids.length; i += 1) {
      var kid = kids[i];
      if (kid === null || kid === undefined || kid === false) { continue; }
      if (Object.prototype.toString.call(kid) === '[object Array]') {
        append(node, kid);
      } else if (typeof kid === 'string' || typeof kid === 'number') {
        node.appendChild(document.createTextNode(String(kid)));
      } else {
        node.appendChild(kid);
      }
    }
  }

  // A text of the deck in an element of its own, with its language marked.
  function deckNode(tag, attrs, value) {
    var found = deckText(value);
    var node = el(tag, attrs, found.text);
    if (found.lang !== lang) { node.setAttribute('lang', found.lang); }
    return node;
  }

  function button(label, className, handler, focusId, extra) {
    var attrs = { type: 'button', className: className, onclick: handler, 'data-f': focusId };
    if (extra) { for (var k in extra) { if (extra.hasOwnProperty(k)) { attrs[k] = extra[k]; } } }
    return el('button', attrs, label);
  }

  function heading(kids, className) {
    return el('h1', { id: 'view-heading', tabindex: '-1', className: className || null }, kids);
  }

  function langSwitch() {
    var codes = languages();
    var box = el('div', { className: 'langs', role: 'group', 'aria-label': t('page.lang.label') });
    for (var i = 0; i < codes.length; i += 1) {
      if (codes[i] === lang) { continue; }
      box.appendChild(button(table(codes[i])['page.lang.this'] || codes[i], 'link lang',
                             setLang(codes[i]), 'lang', { lang: codes[i] }));
    }
    return box;
  }

  function areaLine(position) {
    return el('div', { className: 'head' }, [
      el('p', { className: 'area' }, [
        el('span', { className: 'area-symbol', 'aria-hidden': 'true' }, R.area.symbol || ''),
        '\u00a0', // the symbol never alone on a line
        deckNode('span', null, R.area.title)
      ]),
      position ? el('p', { className: 'pos' }, position) : null,
      R.slips === true && st.slip ? el('p', { className: 'slip-line' },
                                       t('page.slip.line', { code: st.slip })) : null
    ]);
  }

  function dotsRow(given, total) {
    var circles = [];
    for (var i = 0; i < total; i += 1) { circles.push(i < given ? '●' : '○'); }
    return circles.join(' ');
  }

  function levelById(id) {
    for (var i = 0; i < R.levels.length; i += 1) { if (R.levels[i].id === id) { return R.levels[i]; } }
    return null;
  }

  // ---- views ---------------------------------------------------------------------------------

  var views = {};

  views.wait = function () {
    return [el('p', { className: 'wait', 'aria-hidden': 'true' }, '…')];
  };

  views.intro = function () {
    var n = R.practices.length;
    return [
      langSwitch(),
      areaLine(null),
      heading(t('page.intro.heading')),
      el('p', null, t('page.intro.rate', { n: n })),
      el('p', null, t('page.intro.dots', { n: R.dots })),
      el('p', null, t('page.intro.secret')),
      button(hasAnswers() ? t('page.nav.next') : t('page.intro.start'), 'primary',
             function () { go(R.practices.length ? 'practice' : 'dots', 0, false); }, 'start')
    ];
  };

  views.practice = function () {
    var practice = R.practices[st.i];
    var chosen = st.ratings[practice.id];
    var levels = el('div', { className: 'levels', role: 'group', 'aria-labelledby': 'question' });
    for (var i = 0; i < R.levels.length; i += 1) {
      var level = R.levels[i];
      var on = chosen === level.id;
      levels.appendChild(el('button', {
        type: 'button', className: on ? 'level chosen' : 'level', 'aria-pressed': on ? 'true' : 'false',
        'data-f': 'level-' + level.id, 'data-level': level.id, onclick: choose(practice.id, level.id)
      }, [
        el('span', { className: 'symbol', 'aria-hidden': 'true' }, level.symbol || ''),
        el('span', { className: 'label' }, [
          deckNode('span', null, level.label),
          el('span', { className: 'tag' }, t('page.practice.chosen'))
        ])
      ]));
    }
    var points = null;
    if (practice.points && practice.points.length) {
      points = el('ul', { className: 'points' });
      for (var p = 0; p < practice.points.length; p += 1) {
        points.appendChild(deckNode('li', null, practice.points[p]));
      }
    }
    var links = st.edit ? [
      el('span'),
      button(t('page.nav.to_review'), 'link', function () { go('review'); }, 'to-review')
    ] : [
      button(t('page.nav.back'), 'link', back, 'back'),
      button(t('page.nav.skip'), 'link', forward, 'skip')
    ];
    return [
      langSwitch(),
      areaLine(t('page.practice.position', { n: st.i + 1, of: R.practices.length })),
      el('p', { className: 'card' }, practice.card || ''),
      heading(deckNode('span', null, practice.text), 'practice-text'),
      points,
      el('p', { className: 'question', id: 'question' }, t('page.practice.question')),
      levels,
      el('div', { className: 'links' }, links)
    ];
  };

  views.dots = function () {
    var left = R.dots - dotsUsed();
    var list = el('ul', { className: 'dotlist' });
    for (var i = 0; i < R.practices.length; i += 1) {
      var practice = R.practices[i];
      var given = st.dots[practice.id] || 0;
      list.appendChild(el('li', { className: given ? 'given' : null }, [
        notice && notice.id === practice.id
          ? el('p', { className: 'note', role: 'alert' }, notice.text) : null,
        el('button', {
          type: 'button', className: 'pick', onclick: giveDot(practice.id),
          'data-f': 'give-' + practice.id
        }, [
          el('span', { className: 'card' }, practice.card || ''),
          deckNode('span', { className: 'text' }, practice.text),
          given ? el('span', { className: 'given-dots' }, [
            el('span', { 'aria-hidden': 'true' }, repeat('●', given) + ' '),
            t('page.dots.given', { n: given })
          ]) : null
        ]),
        given ? button(t('page.dots.remove'), 'minus', takeDot(practice.id),
                       'take-' + practice.id) : null
      ]));
    }
    return [
      langSwitch(),
      areaLine(null),
      heading([t('page.dots.heading'), ' ',
               el('span', { className: 'nowrap' }, t('page.dots.have', { n: R.dots }))]),
      el('p', null, t('page.dots.how')),
      el('p', { className: 'counter', role: 'status' }, [
        el('span', { className: 'circles', 'aria-hidden': 'true' }, dotsRow(R.dots - left, R.dots)),
        ' ',
        el('span', { className: 'nowrap' }, t('page.dots.left', { n: left }))
      ]),
      list,
      button(t('page.nav.next'), 'primary', function () { go('review'); }, 'next'),
      el('div', { className: 'links' }, [
        button(t('page.nav.back'), 'link', function () { go('practice', R.practices.length - 1, false); },
               'back'),
        el('span')
      ])
    ];
  };

  views.review = function () {
    var answers = el('ol', { className: 'review' });
    var dots = el('ul', { className: 'review dots-review' });
    var anyDots = false;
    for (var i = 0; i < R.practices.length; i += 1) {
      var practice = R.practices[i];
      var level = levelById(st.ratings[practice.id]);
      answers.appendChild(el('li', null, [
        el('p', { className: 'what' }, [
          el('span', { className: 'card' }, practice.card || ''), ' ',
          deckNode('span', null, practice.text)
        ]),
        el('p', { className: level ? 'answer' : 'answer none' }, level ? [
          el('span', { className: 'symbol small', 'aria-hidden': 'true' }, level.symbol || ''), ' ',
          deckNode('span', null, level.label)
        ] : t('page.review.no_answer')),
        button(t('page.review.change'), 'link change', edit(i), 'change-' + practice.id,
               { 'aria-label': t('page.review.change') + ': ' + (practice.card || i + 1) })
      ]));
      var given = st.dots[practice.id] || 0;
      if (given) {
        anyDots = true;
        dots.appendChild(el('li', null, el('p', { className: 'what' }, [
          el('span', { className: 'card' }, practice.card || ''), ' ',
          deckNode('span', null, practice.text), ' ',
          el('span', { className: 'nowrap given-dots' }, [
            el('span', { 'aria-hidden': 'true' }, repeat('●', given) + ' '),
            t('page.dots.given', { n: given })
          ])
        ])));
      }
    }
    return [
      langSwitch(),
      areaLine(null),
      heading(t('page.review.heading')),
      el('h2', null, t('page.review.answers')),
      answers,
      el('h2', null, t('page.review.dots')),
      anyDots ? dots : el('p', { className: 'answer none' }, t('page.review.no_dots')),
      button(t('page.review.change'), 'link change', function () { go('dots'); }, 'change-dots',
             { 'aria-label': t('page.review.change') + ': ' + t('page.review.dots') }),
      el('p', { className: 'hint' }, t('page.review.send_hint')),
      button(t('page.send'), 'primary send', send, 'send')
    ];
  };

  // The slip's code, typed: any case, spaces and hyphens; shown as ABCD-EFGH.
  views.slip = function () {
    var message = null;
    if (typeof slipMessage === 'string') {
      message = slipMessage;
    } else if (slipMessage) {
      message = sentence(deckText(slipMessage).text);
    }
    var field = el('input', {
      id: 'slip-code', type: 'text', className: 'slip-code', 'data-f': 'slip-code',
      autocomplete: 'off', autocapitalize: 'characters', autocorrect: 'off',
      spellcheck: 'false', inputmode: 'text', maxlength: '24',
      'aria-describedby': message ? 'slip-where slip-message' : 'slip-where'
    });
    field.value = slipTyped;
    field.addEventListener('input', function () { tidyCode(field); }, false);
    field.addEventListener('keydown', function (event) {
      if (event.keyCode === 13) {
        if (event.preventDefault) { event.preventDefault(); }
        takeCode();
      }
    }, false);
    return [
      langSwitch(),
      areaLine(null),
      heading(el('label', { 'for': 'slip-code' }, t('page.slip.label'))),
      el('p', { id: 'slip-where' }, t('page.slip.where')),
      message ? el('p', { className: 'note', id: 'slip-message', role: 'alert' }, message) : null,
      field,
      button(t('page.slip.go'), 'primary', takeCode, 'slip-go')
    ];
  };

  views.checking = function () {
    return [
      langSwitch(),
      el('div', { className: 'full' }, [
        el('p', { className: 'big-symbol', 'aria-hidden': 'true' }, '…'),
        heading(t('page.slip.checking'), 'status')
      ])
    ];
  };

  views.spent = function () {
    return [
      langSwitch(),
      el('div', { className: 'full trouble' }, [
        el('p', { className: 'big-symbol', 'aria-hidden': 'true' }, '!'),
        heading(t('page.spent')),
        el('p', { className: 'note' }, t('page.spent.more')),
        el('p', null, t('page.spent.help')),
        button(t('page.spent.other'), 'primary', function () {
          st.spent = false;
          slipTyped = '';
          slipMessage = null;
          save();
          go('slip');
        }, 'other-slip')
      ])
    ];
  };

  views.sending = function () {
    var word = status === 'retrying' ? t('page.retrying') : status === 'busy' ? t('page.busy')
      : status === 'wait' ? t('page.slip.wait') : t('page.sending');
    return [
      langSwitch(),
      el('div', { className: status === 'sending' ? 'full' : 'full trouble' }, [
        el('p', { className: 'big-symbol', 'aria-hidden': 'true' }, status === 'sending' ? '…' : '↻'),
        heading(word, 'status'),
        el('p', { role: 'status' }, status === 'sending' ? '' : t('page.kept'))
      ])
    ];
  };

  views.thanks = function () {
    return [
      langSwitch(),
      el('div', { className: 'full done' }, [
        el('p', { className: 'big-symbol', 'aria-hidden': 'true' }, '✓'),
        heading(t('page.thanks')),
        el('p', null, t('page.thanks.more')),
        summaryLink()
      ])
    ];
  };

  views.closed = function () {
    return [
      langSwitch(),
      el('div', { className: 'full' }, [
        heading(t('page.closed')),
        st.lost ? el('p', { className: 'note' }, t('page.closed.not_counted')) : null,
        summaryLink()
      ])
    ];
  };

  views.blank = function () {
    return [
      langSwitch(),
      el('div', { className: 'full' }, [
        el('p', { className: 'big-symbol', 'aria-hidden': 'true' }, '○'),
        heading(t('page.blank')),
        el('p', null, t('page.blank.more')),
        button(t('page.blank.back'), 'primary', function () { go('practice', 0, false); }, 'back')
      ])
    ];
  };

  views.error = function () {
    var message = serverMessage ? deckText(serverMessage).text : '';
    return [
      langSwitch(),
      el('div', { className: 'full trouble' }, [
        el('p', { className: 'big-symbol', 'aria-hidden': 'true' }, '!'),
        heading(t('page.error')),
        el('p', { className: 'note' }, message || t('page.error.unknown')),
        button(t('page.error.back'), 'primary', function () { go('review'); }, 'back')
      ])
    ];
  };

  function summaryLink() {
    if (!R || R.summary !== true) { return null; }
    return el('a', { className: 'primary button-link', href: BASE + 'summary.pdf', 'data-f': 'summary' },
              t('page.summary'));
  }

  // A sentence of the laptop's ("lipukkeen koodia ei tunneta") as the page shows it.
  function sentence(text) {
    if (!text) { return ''; }
    var full = text.charAt(0).toUpperCase() + text.slice(1);
    return /[.!?…]$/.test(full) ? full : full + '.';
  }

  function repeat(text, times) {
    var out = '';
    for (var i = 0; i < times; i += 1) { out += text; }
    return out;
  }

  // Draw the current view; keep focus on the control that had it (`focusId`), or else put it
  // on the heading, as a new page would, so a screen reader starts at the top.
  function render(focusId) {
    var build = views[view] || views.wait;
    var kids = build();
    while (app.firstChild) { app.removeChild(app.firstChild); }
    append(app, kids);
    document.documentElement.setAttribute('lang', lang);
    app.className = 'app view-' + view;
    if (R) { document.title = deckText(R.area.title).text + ' – ' + t('page.title'); }
    var target = null;
    if (focusId) {
      var candidates = app.querySelectorAll('[data-f]');
      for (var i = 0; i < candidates.length; i += 1) {
        if (candidates[i].getAttribute('data-f') === focusId) { target = candidates[i]; break; }
      }
    }
    if (!target && focusId !== false) {
      target = document.getElementById('view-heading');
    }
    if (target) {
      try { target.focus(); } catch (e) { /* an old browser: no focus, no harm */ }
    }
  }

  function go(name, index, editing) {
    view = name;
    notice = null;
    if (typeof index === 'number') { st.i = index; }
    if (typeof editing === 'boolean') { st.edit = editing; }
    if (name !== 'sending' && name !== 'thanks' && name !== 'closed' && name !== 'error' &&
        name !== 'blank' && name !== 'slip' && name !== 'checking' && name !== 'spent') {
      st.view = name;
    }
    save();
    render(null);
    window.scrollTo(0, 0);
  }

  // ---- answering -----------------------------------------------------------------------------

  function choose(practiceId, levelId) {
    return function () {
      if (locked || st.sent) { return; }
      st.ratings[practiceId] = levelId;
      save();
      locked = true;
      var buttons = app.querySelectorAll('button.level');
      for (var i = 0; i < buttons.length; i += 1) {
        var on = buttons[i].getAttribute('data-level') === levelId;
        buttons[i].className = on ? 'level chosen' : 'level';
        buttons[i].setAttribute('aria-pressed', on ? 'true' : 'false');
        buttons[i].disabled = true;
      }
      var at = st.i;
      window.setTimeout(function () {
        if (view !== 'practice' || st.i !== at) {
          locked = false; // the person moved on by other means meanwhile
          return;
        }
        if (st.edit) {
          go('review');
        } else {
          forward();
        }
        var fresh = app.querySelectorAll('button.level');
        for (var j = 0; j < fresh.length; j += 1) { fresh[j].disabled = true; }
        window.setTimeout(function () {
          locked = false;
          var again = app.querySelectorAll('button.level');
          for (var k = 0; k < again.length; k += 1) { again[k].disabled = false; }
        }, SETTLE_MS);
      }, CHOSEN_MS);
    };
  }

  function forward() {
    if (st.i < R.practices.length - 1) {
      go('practice', st.i + 1, false);
    } else {
      go('dots');
    }
  }

  function back() {
    if (st.i > 0) {
      go('practice', st.i - 1, false);
    } else {
      go('intro');
    }
  }

  function edit(index) {
    return function () { go('practice', index, true); };
  }

  function giveDot(practiceId) {
    return function () {
      if (st.sent) { return; }
      if (dotsUsed() >= R.dots) {
        notice = { id: practiceId, text: t('page.dots.none_left') };
      } else {
        notice = null;
        st.dots[practiceId] = (st.dots[practiceId] || 0) + 1;
        save();
      }
      render('give-' + practiceId);
    };
  }

  function takeDot(practiceId) {
    return function () {
      if (st.sent || !st.dots[practiceId]) { return; }
      take(practiceId);
      notice = null;
      save();
      render(st.dots[practiceId] ? 'take-' + practiceId : 'give-' + practiceId);
    };
  }

  function setLang(code) {
    return function () {
      lang = code;
      writeItem(LANG_KEY, code);
      render('lang');
    };
  }

  // ---- the network ---------------------------------------------------------------------------

  // One request; `done(status, json)` once, with status 0 for no network or no answer in 10 s.
  function request(method, path, body, done) {
    var xhr = new XMLHttpRequest();
    var finished = false;
    var timer = null;
    function finish(code, text) {
      if (finished) { return; }
      finished = true;
      window.clearTimeout(timer);
      var data = null;
      if (text) {
        try { data = JSON.parse(text); } catch (e) { data = null; }
      }
      done(code, data);
    }
    try {
      xhr.open(method, BASE + path, true);
      xhr.timeout = TIMEOUT_MS;
      if (body !== null) { xhr.setRequestHeader('Content-Type', 'application/json'); }
      xhr.setRequestHeader('Cache-Control', 'no-cache');
    } catch (e) {
      window.setTimeout(function () { finish(0, null); }, 0);
      return;
    }
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4) { finish(xhr.status, xhr.responseText); }
    };
    xhr.ontimeout = function () { finish(0, null); };
    xhr.onerror = function () { finish(0, null); };
    xhr.onabort = function () { finish(0, null); };
    timer = window.setTimeout(function () {
      try { xhr.abort(); } catch (e) { /* already over */ }
      finish(0, null);
    }, TIMEOUT_MS + 1000);
    try {
      xhr.send(body);
    } catch (e) {
      finish(0, null);
    }
  }

  function validRound(data) {
    return isObject(data) && isObject(data.area) && isObject(data.ui) &&
      Object.prototype.toString.call(data.levels) === '[object Array]' &&
      Object.prototype.toString.call(data.practices) === '[object Array]' &&
      typeof data.dots === 'number';
  }

  function loadRound() {
    request('GET', 'api/round', null, function (code, data) {
      if (code === 200 && validRound(data)) {
        writeItem(ROUND_KEY, data);
        begin(data);
        return;
      }
      var cached = readItem(ROUND_KEY);
      if (validRound(cached)) {
        if (code === 404 || code === 410) { cached.open = false; }
        begin(cached);
        if (code !== 404 && code !== 410) { poll(); }
        return;
      }
      window.setTimeout(loadRound, RETRY_MS); // no words to say it with yet: try again quietly
    });
  }

  function begin(data) {
    var first = R === null;
    R = data;
    if (!first) { return; }
    var chosen = readItem(LANG_KEY);
    lang = (typeof chosen === 'string' && isObject(R.ui[chosen])) ? chosen
      : (isObject(R.ui[R.lang]) ? R.lang : (languages()[0] || 'fi'));
    st = restore();
    start();
  }

  // Which view, now that the round is known (again: `reloadRound` comes back here).
  function start() {
    var fromAddress = R.slips === true && !st.sent && !st.closed && !st.pending ? addressSlip()
      : null;
    if (st.sent) {
      view = 'thanks';
    } else if (st.closed) {
      view = 'closed';
    } else if (R.open === false) {
      closeLost();
      return;
    } else {
      reconcile();
      view = st.pending ? 'sending' : (views[st.view] ? st.view : 'intro');
      if (R.slips === true && !st.pending) {
        if (fromAddress && fromAddress !== st.slip) {
          view = 'checking';
        } else if (fromAddress) {
          forgetAddressSlip();
        } else if (st.spent) {
          view = 'spent';
        } else if (!st.slip) {
          view = 'slip';
        }
      }
    }
    save();
    render(null);
    if (view === 'sending') {
      status = 'sending';
      send();
    } else if (view === 'checking') {
      checkSlip(fromAddress);
    } else if (view === 'thanks' || view === 'closed') {
      poll();
    } else if (R.slips !== true && !st.token) {
      fetchToken(function () {}, function () {}); // ask once, early, while the network is surely up
    }
  }

  // The round as it is now, then the view for it (the laptop said the round has or has no
  // slips, unlike what the page knew).
  function reloadRound() {
    request('GET', 'api/round', null, function (code, data) {
      if (code === 200 && validRound(data)) {
        R = data;
        writeItem(ROUND_KEY, data);
        sending = false;
        start();
      } else if (code === 404 || code === 410) {
        closeLost();
      } else {
        window.setTimeout(reloadRound, RETRY_MS);
      }
    });
  }

  // ---- voting slips --------------------------------------------------------------------------

  // The code in the address, `?s=ABCD-EFGH` (what a slip's QR code opens), or null.
  function addressSlip() {
    var query = window.location.search.replace(/^\?/, '').split('&');
    for (var i = 0; i < query.length; i += 1) {
      var pair = query[i].split('=');
      if (pair[0] === 's' && pair.length > 1) {
        var value = '';
        try { value = decodeURIComponent(pair[1].replace(/\+/g, ' ')); } catch (e) { value = ''; }
        value = codeCharacters(value);
        if (value) { return value; }
      }
    }
    return null;
  }

  // What is typed, as the laptop reads it: no spaces or hyphens, in capitals.
  function codeCharacters(text) {
    return String(text).replace(/[\s\-\u2010-\u2013]+/g, '').toUpperCase();
  }

  function shownCode(chars) {
    return chars.length > 4 ? chars.slice(0, 4) + '-' + chars.slice(4) : chars;
  }

  // The field shows what is typed as ABCD-EFGH, the caret kept after the same character.
  function tidyCode(field) {
    var value = field.value;
    var caret = typeof field.selectionStart === 'number' ? field.selectionStart : value.length;
    var before = codeCharacters(value.slice(0, caret)).length;
    var shown = shownCode(codeCharacters(value));
    slipTyped = shown;
    if (shown === value) { return; }
    field.value = shown;
    var at = before > 4 ? before + 1 : before;
    if (before === 4 && shown.length > 4) { at = 5; }
    try { field.setSelectionRange(at, at); } catch (e) { /* an old browser: caret at the end */ }
  }

  function takeCode() {
    var field = document.getElementById('slip-code');
    if (field) { slipTyped = field.value; }
    var chars = codeCharacters(slipTyped);
    slipTyped = shownCode(chars);
    if (chars.length !== SLIP_LENGTH) {
      slipMessage = chars.length ? t('page.slip.length', { n: SLIP_LENGTH }) : t('page.slip.empty');
      render('slip-code');
      return;
    }
    view = 'checking';
    render(null);
    checkSlip(chars);
  }

  // Ask the laptop whether the slip may vote here now; on "good", on to the ballot.
  function checkSlip(chars) {
    request('POST', 'api/slip', JSON.stringify({ slip: shownCode(chars) }), function (code, data) {
      var error = isObject(data) && typeof data.error === 'string' ? data.error : '';
      if (code === 200 && isObject(data) && data.status === 'good' && typeof data.slip === 'string') {
        if (data.slip !== st.slip) { st.send = null; } // a new slip: a new name for the ballot
        st.slip = data.slip;
        st.spent = false;
        slipTyped = '';
        slipMessage = null;
        forgetAddressSlip();
        save();
        go(views[st.view] && st.view !== 'slip' ? st.view : 'intro');
      } else if (code === 404 || code === 410) {
        closeLost();
      } else if (error === 'no_slips_round') {
        forgetAddressSlip();
        reloadRound();
      } else {
        slipTyped = shownCode(chars);
        slipMessage = code === 0 ? t('page.slip.no_network')
          : (isObject(data) && isObject(data.message) ? data.message : t('page.error.unknown'));
        forgetAddressSlip(); // a reload asks for the code, not the refused one again
        view = 'slip';
        render(null);
      }
    });
  }

  // The code out of the address bar once read: it is the slip's secret, kept with the round.
  function forgetAddressSlip() {
    if (!window.location.search) { return; }
    try {
      window.history.replaceState(null, '', window.location.pathname);
    } catch (e) { /* an old browser: the code stays in the address, no harm */ }
  }

  // The page's own name for one ballot: 24 random characters, not a secret.
  function newSend() {
    var chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    var bytes = null;
    var out = '';
    var i;
    try {
      var cryptoObject = window.crypto || window.msCrypto;
      bytes = new Uint8Array(24);
      cryptoObject.getRandomValues(bytes);
    } catch (e) {
      bytes = null;
    }
    for (i = 0; i < 24; i += 1) {
      out += chars.charAt((bytes ? bytes[i] : Math.floor(Math.random() * 256)) % 64);
    }
    return out;
  }

  function slipSpent() {
    sending = false;
    window.clearTimeout(retryTimer);
    st = freshState(); // keep nothing: another copy of the slip voted
    st.area = R.area.id;
    st.spent = true;
    save();
    view = 'spent';
    render(null);
  }

  function askSlipAgain(message) {
    sending = false;
    window.clearTimeout(retryTimer);
    st.pending = false;
    st.slip = null;
    st.send = null;
    st.view = 'review';
    save();
    slipTyped = '';
    slipMessage = message;
    view = 'slip';
    render(null);
  }

  function fetchToken(then, otherwise) {
    request('POST', 'api/token', null, function (code, data) {
      if (code === 200 && isObject(data) && typeof data.token === 'string') {
        if (!st.sent) {
          st.token = data.token;
          save();
        }
        then();
      } else {
        otherwise(code, data);
      }
    });
  }

  function ballot() {
    var ratings = {};
    var dots = {};
    var id;
    for (id in st.ratings) { if (st.ratings.hasOwnProperty(id)) { ratings[id] = st.ratings[id]; } }
    for (id in st.dots) { if (st.dots.hasOwnProperty(id) && st.dots[id] > 0) { dots[id] = st.dots[id]; } }
    if (R.slips === true) {
      return { slip: st.slip, send: st.send, ratings: ratings, dots: dots };
    }
    return { token: st.token, ratings: ratings, dots: dots };
  }

  function send() {
    if (st.sent || st.closed || sending) { return; }
    if (!hasAnswers()) {
      st.pending = false;
      save();
      go('blank');
      return;
    }
    window.clearTimeout(retryTimer);
    retryTimer = null;
    sending = true;
    if (!st.pending) {
      st.pending = true;
      status = 'sending';
      save();
    }
    if (R.slips === true) {
      if (!st.slip) { askSlipAgain(null); return; }
      if (!st.send) { st.send = newSend(); } // once per ballot: every resend uses the same
      save();
      if (view !== 'sending') { go('sending'); }
      postBallot();
      return;
    }
    if (view !== 'sending') { go('sending'); }
    if (st.token) {
      postBallot();
    } else {
      fetchToken(postBallot, failed);
    }
  }

  function postBallot() {
    request('POST', 'api/ballot', JSON.stringify(ballot()), function (code, data) {
      var error = isObject(data) && typeof data.error === 'string' ? data.error : '';
      var message = isObject(data) && isObject(data.message) ? data.message : null;
      if (code === 200 && isObject(data) && (data.status === 'counted' || data.status === 'already')) {
        counted();
      } else if (error === 'needs_slip' || error === 'no_slips_round') {
        sending = false; // the round was opened again, with or without slips: read it anew
        reloadRound();
      } else if (R.slips === true && error === 'slip_spent') {
        slipSpent();
      } else if (R.slips === true && (error === 'wrong_slip' || error === 'slip_other_area')) {
        askSlipAgain(message);
      } else if (R.slips === true && error === 'too_many_tries') {
        sending = false; // the laptop checks no slip for a while: the ballot waits, kept
        status = 'wait';
        if (view === 'sending') { render(null); }
        retryTimer = window.setTimeout(send, SLIP_WAIT_MS);
      } else if (code === 409 && R.slips !== true && unknownTokens < 3) {
        unknownTokens += 1; // the laptop restarted, say: a new token, and send again
        st.token = null;
        save();
        fetchToken(postBallot, failed);
      } else {
        failed(code, data);
      }
    });
  }

  function failed(code, data) {
    sending = false;
    if (isObject(data) && data.error === 'needs_slip') {
      reloadRound(); // the round was opened again with slips (a token was asked for)
    } else if (code === 410 || code === 404) {
      closeLost();
    } else if (code >= 400 && code < 500 && code !== 408 && code !== 409 && code !== 429) {
      st.pending = false; // not a ballot the laptop takes: sending again would not help
      save();
      serverMessage = isObject(data) && isObject(data.message) ? data.message : null;
      go('error');
      refreshRound(); // the set-up may have changed (fewer dots, say): back with what holds now
    } else {
      // no network, no answer in time, the laptop busy or in trouble: keep the answers, retry
      unknownTokens = 0;
      status = code === 429 ? 'busy' : 'retrying';
      if (view === 'sending') { render(null); }
      retryTimer = window.setTimeout(send, RETRY_MS);
    }
  }

  function counted() {
    sending = false;
    window.clearTimeout(retryTimer);
    st = freshState();
    st.area = R.area.id;
    st.sent = true; // this round's code: the thanks again after a reload, never a second ballot
    st.view = 'thanks';
    save();
    view = 'thanks';
    render(null);
    poll();
  }

  function closeLost() {
    var had = hasAnswers() && !st.sent;
    window.clearTimeout(retryTimer);
    sending = false;
    st = freshState();
    st.area = R.area.id;
    st.closed = true;
    st.lost = had;
    save();
    view = 'closed';
    render(null);
    poll();
  }

  function refreshRound() {
    request('GET', 'api/round', null, function (code, data) {
      if (code === 200 && validRound(data) && data.area.id === R.area.id) {
        R = data;
        writeItem(ROUND_KEY, data);
        reconcile();
        save();
      }
    });
  }

  // On the thanks and closed views: ask now and then whether the summary may be downloaded.
  function poll() {
    if (pollTimer !== null || (R && R.summary === true)) { return; }
    pollTimer = window.setTimeout(function () {
      pollTimer = null;
      request('GET', 'api/round', null, function (code, data) {
        if (code === 200 && validRound(data)) {
          var had = R.summary === true;
          data.ui = data.ui || R.ui;
          R = data;
          writeItem(ROUND_KEY, data);
          if (!had && R.summary === true && (view === 'thanks' || view === 'closed')) {
            render(false);
          }
        }
        if (view === 'thanks' || view === 'closed') { poll(); }
      });
    }, POLL_MS);
  }

  window.addEventListener('online', function () {
    if (st.pending && !sending && !st.sent) { send(); }
  }, false);

  loadRound();
}());
