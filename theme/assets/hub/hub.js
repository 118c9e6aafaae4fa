/* Advocacy Hub: small progressive enhancements. Every share link is a plain
 * <a href> built by hub/share.py and works without this script; the script
 * only swaps the wording, the employee's Mastodon server and their advocate
 * code, rebuilding hrefs from the same patterns (sent in #hub-share-data).
 * Nothing leaves the browser: the code and the server stay in localStorage.
 */
(function () {
  "use strict";

  var ADVOCATE_KEY = "hub.advocate";
  var MASTODON_KEY = "hub.mastodon";
  /* The advocate code rule comes from the form the build writes
     (hub/posts/advocate.py), never a copy here. */
  var codeInput = document.getElementById("hub-advocate-code");
  var CODE = new RegExp("^(?:" + ((codeInput && codeInput.getAttribute("pattern")) || "(?!)") + ")$");
  var CODE_HELP = (codeInput && codeInput.dataset.codeHelp) || "";
  var HOST = /^[A-Za-z0-9.-]+(:[0-9]+)?$/;

  function store(key, value) {
    try {
      if (value) { localStorage.setItem(key, value); } else { localStorage.removeItem(key); }
    } catch (err) { /* private mode: keep for this page only */ }
  }
  function load(key) {
    try { return localStorage.getItem(key) || ""; } catch (err) { return ""; }
  }

  /* Python's urllib.parse.quote(text, safe=""), which hub/share.py uses. */
  function enc(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function advocate() {
    var code = load(ADVOCATE_KEY);
    return CODE.test(code) ? code : "";
  }
  function mastodon() {
    var host = load(MASTODON_KEY);
    return HOST.test(host) ? host : "";
  }

  /* The tracked URL a link shares, with utm_content when a code is set:
     what hub.share.tracked_url builds with the code (utm_content last,
     before any #; with_advocate in tests/test_site.py checks the rule). */
  function trackedUrl(el) {
    var url = el.dataset.url;
    var code = advocate();
    if (!code) { return url; }
    var hash = url.indexOf("#");
    var base = hash < 0 ? url : url.slice(0, hash);
    return base + "&utm_content=" + code + (hash < 0 ? "" : url.slice(hash));
  }

  var cached;
  function shareData() {
    if (cached === undefined) {
      var node = document.getElementById("hub-share-data");
      cached = null;
      if (node) {
        try { cached = JSON.parse(node.textContent); } catch (err) { cached = null; }
      }
    }
    return cached || {};
  }

  /* The block holding a network's wordings: its own, or the block it shares them with. */
  function captionBlock(block) {
    var from = block.dataset.captionsFrom;
    return (from && document.querySelector('.hub-net[data-network="' + from + '"]')) || block;
  }
  function captionNode(block) {
    return captionBlock(block).querySelector(".hub-net__caption");
  }
  /* The first wording of every network, as the page shows it before any change. */
  var firstWordings = {};
  function rememberFirstWordings() {
    document.querySelectorAll(".hub-net[data-network]").forEach(function (block) {
      var node = block.querySelector(".hub-net__caption");
      if (node) { firstWordings[block.dataset.network] = node.textContent; }
    });
  }
  function currentWording(block) {
    return Number(captionBlock(block).dataset.current || "0");
  }
  /* Wording `index` of the block's network (hub.postpage.wording_data: a network
     name means that network's first wording, a number a paragraph of #hub-wordings). */
  function captionText(block, index) {
    var source = captionBlock(block).dataset.network;
    var data = shareData();
    var refs = (data.wordings && data.wordings[source]) || [source];
    var ref = refs[index % refs.length];
    if (typeof ref === "number") {
      var node = otherWordings()[ref];
      return node ? node.textContent : "";
    }
    return firstWordings[ref] || "";
  }
  function otherWordings() {
    var template = document.getElementById("hub-wordings");
    return template ? template.content.children : [];
  }
  /* A wording shown with each hashtag in a <bdi> (hub.direction.hashtags_isolated):
     "#LifeAtAcme" stays so in an Arabic caption. The text itself, which Copy
     and the links read back from textContent, is unchanged. */
  var HASHTAG = /(^|[\s(\[{"'\u00ab\u201c])(#[^\s#!$%^&*+.,;:?\/\\|<>()\[\]{}'"`~=@]+)/g;
  function showCaption(node, text) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
    var last = 0;
    text.replace(HASHTAG, function (match, lead, tag, offset) {
      var start = offset + lead.length;
      node.appendChild(document.createTextNode(text.slice(last, start)));
      var bdi = document.createElement("bdi");
      bdi.textContent = tag;
      node.appendChild(bdi);
      last = start + tag.length;
      return match;
    });
    node.appendChild(document.createTextNode(text.slice(last)));
  }
  function subjectText(block, index) {
    var subjects = [];
    try { subjects = JSON.parse(block.dataset.subjects || "[]"); } catch (err) { subjects = []; }
    return subjects.length ? subjects[index % subjects.length] : "";
  }
  function joinerOf(network) {
    var data = shareData();
    return (data.joiner && data.joiner[network]) || " ";
  }

  /* Mirror of hub.share.build_href. */
  function buildHref(network, caption, url, subject) {
    var data = shareData();
    var pattern = data.patterns && data.patterns[network];
    if (!pattern) { return null; }
    var textUrl = caption ? caption + joinerOf(network) + url : url;
    if (network === "email") { textUrl = textUrl.replace(/\r\n/g, "\n").replace(/\n/g, "\r\n"); }
    var values = {
      text: enc(caption), url: enc(url), text_url: enc(textUrl), subject: enc(subject),
      instance: mastodon() || data.instance || "mastodon.social"
    };
    return pattern.replace(/\{(text_url|text|url|subject|instance)\}/g, function (m, key) {
      return values[key];
    });
  }

  /* A link outside a share panel (listing cards): swap the encoded URL and host. */
  function patchHref(link) {
    /* The parsed href: characters the page wrote raw (see hub.share ShareLink.iri)
       come back percent-encoded, as enc() writes them. */
    if (!link.dataset.base) { link.dataset.base = link.href; }
    var base = link.dataset.base;
    var href = base.split(enc(link.dataset.url)).join(enc(trackedUrl(link)));
    if (link.dataset.network === "mastodon" && mastodon()) {
      try {
        var parsed = new URL(href);
        parsed.host = mastodon();
        href = parsed.toString();
      } catch (err) { /* keep the default server */ }
    }
    link.setAttribute("href", href);
  }

  function refreshBlock(block) {
    var network = block.dataset.network;
    var link = block.querySelector(".hub-share__link");
    if (!link) { return; }
    var index = currentWording(block);
    var href = buildHref(network, captionText(block, index), trackedUrl(link), subjectText(block, index));
    if (href) { link.setAttribute("href", href); }
  }

  function refreshAll() {
    var blocks = document.querySelectorAll(".hub-net[data-network]");
    var inBlocks = [];
    blocks.forEach(function (block) {
      refreshBlock(block);
      inBlocks.push(block.querySelector(".hub-share__link"));
    });
    document.querySelectorAll("a.hub-share__link[data-url]").forEach(function (link) {
      if (inBlocks.indexOf(link) < 0) { patchHref(link); }
    });
  }

  function announce(target, message) {
    var status = document.querySelector(target);
    if (!status) { return; }
    /* A repeated message still changes the text, so screen readers say it again. */
    status.textContent = status.textContent === message ? message + "\u00a0" : message;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  /* A message in the page's language (hub/site/locale/, sent in #hub-share-data),
     its %(name)s values filled in; English where the page sends none. */
  var ENGLISH = {
    copied_paste: "Caption copied: paste it into %(network)s.",
    copied: "Caption and link copied.",
    copy_failed: "Could not copy: select the caption and copy it by hand.",
    wording: "Wording %(number)s of %(count)s shown.",
    mastodon_first: "Enter your Mastodon server first, then share."
  };
  function say(key, values) {
    var data = shareData() || {};
    var text = (data.messages || {})[key] || ENGLISH[key];
    return text.replace(/%\((\w+)\)s/g, function (m, name) {
      return values && name in values ? String(values[name]) : m;
    });
  }

  /* Phones: LinkedIn's app and mobile site open the plain feed, text dropped. */
  function onPhone() {
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    return coarse || /Android|iPhone|iPad|Mobi/.test(navigator.userAgent);
  }
  function copiesFirst(network) {
    var data = shareData() || {};
    var always = data.copy_first || [];
    var phone = data.copy_first_phone || [];
    return always.indexOf(network) >= 0 || (phone.indexOf(network) >= 0 && onPhone());
  }

  /* What Copy puts on the clipboard: the shown wording, the joiner, the tracked link. */
  function shareText(block) {
    var link = block.querySelector(".hub-share__link");
    var caption = captionText(block, currentWording(block));
    var url = trackedUrl(link);
    return caption ? caption + joinerOf(block.dataset.network) + url : url;
  }

  var viaPicker = false;

  function onClick(event) {
    var target = event.target.closest ? event.target.closest("button, a") : null;
    if (!target) { return; }
    if (target.classList.contains("hub-pick")) {
      var picked = document.querySelector(
        '.hub-net[data-network="' + target.dataset.pick + '"] .hub-share__link');
      if (picked) {
        /* The block's own link opens the composer (this click still counts as the
           person's, so no pop-up blocker stops it), copying first where needed. */
        event.preventDefault();
        viaPicker = true;
        try { picked.click(); } finally { viaPicker = false; }
      }
      return;
    }
    var block = target.closest(".hub-net");
    if (target.classList.contains("hub-another") && block) {
      var count = Number(block.dataset.wordings || "1");
      var next = (currentWording(block) + 1) % count;
      var node = captionNode(block);
      captionBlock(block).dataset.current = String(next);
      if (node) { showCaption(node, captionText(block, next)); }
      refreshAll();  /* blocks sharing these wordings follow */
      announce(".hub-copy-status", say("wording", {number: next + 1, count: count}));
    } else if (target.classList.contains("hub-copy") && block) {
      copyText(shareText(block)).then(function () {
        announce(".hub-copy-status", say("copied"));
      }, function () {
        announce(".hub-copy-status", say("copy_failed"));
      });
    } else if (target.classList.contains("hub-webshare")) {
      var first = document.querySelector(".hub-net .hub-net__caption");
      navigator.share({
        title: target.dataset.title,
        text: first ? first.textContent : target.dataset.title,
        url: trackedUrl(target)
      }).catch(function () { /* the employee closed the share sheet */ });
    } else if (target.matches('a.hub-share__link[data-network="mastodon"]') && !mastodon()) {
      var form = block && block.querySelector(".hub-mastodon");
      if (form) {
        event.preventDefault();
        form.querySelector("input").focus();
        announce(".hub-copy-status", say("mastodon_first"));
      } else {
        var server = window.prompt("Your Mastodon server (for example mastodon.social)", "");
        if (server && HOST.test(server.trim())) {
          event.preventDefault();
          store(MASTODON_KEY, server.trim().toLowerCase());
          refreshAll();
          window.open(target.getAttribute("href"), "_blank", "noopener");
        }
      }
    } else if (target.classList.contains("hub-share__link") && block &&
               copiesFirst(target.dataset.network)) {
      /* Said before the network's page opens, and kept on screen when the person comes back. */
      var where = viaPicker ? ".hub-pick-status" : ".hub-copy-status";
      var name = block.querySelector(".hub-net__name");
      var label = name ? name.textContent : target.dataset.network;
      announce(where, say("copied_paste", {network: label}));
      copyText(shareText(block)).catch(function () {
        announce(where, say("copy_failed"));
      });
    }
  }


  /* The employee's own view of the home page: a language and categories,
     chosen in the filter disclosure, kept in localStorage (never sent) and
     applied again on their next visit. The hub is static, so the matching
     posts are gathered from the filter pages themselves: the language's page
     (or the one category's, or the home page), following its pager until a
     page's worth is found. Without JavaScript the chips link to those pages. */
  var VIEW_KEY = "hub.view";
  var VIEW_PAGES = 20;  /* pager pages read at most for one view */
  var originalCards = null;

  function savedView() {
    try {
      var view = JSON.parse(load(VIEW_KEY) || "null");
      if (view && typeof view === "object") {
        return {language: String(view.language || ""),
                categories: Array.isArray(view.categories) ? view.categories.map(String) : []};
      }
    } catch (err) { /* an unreadable value is no view */ }
    return null;
  }
  function viewOf(form) {
    var language = form.querySelector('input[name="language"]:checked');
    var categories = [];
    form.querySelectorAll('input[name="category"]:checked').forEach(function (box) {
      categories.push(box.value);
    });
    return {language: language ? language.value : "", categories: categories};
  }
  function fillForm(form, view) {
    form.querySelectorAll('input[name="language"]').forEach(function (radio) {
      radio.checked = radio.value === view.language;
    });
    form.querySelectorAll('input[name="category"]').forEach(function (box) {
      box.checked = view.categories.indexOf(box.value) >= 0;
    });
  }
  function isEmptyView(view) { return !view || (!view.language && !view.categories.length); }
  function viewLabel(form, view) {
    var names = [];
    form.querySelectorAll("input:checked").forEach(function (input) {
      if (input.value) { names.push(input.parentNode.textContent.trim()); }
    });
    return names.join(", ");
  }
  function matches(card, view) {
    return (!view.language || card.dataset.language === view.language) &&
      (!view.categories.length || view.categories.indexOf(card.dataset.category) >= 0);
  }
  /* A card read from another listing page: its links and picture made absolute. */
  function adopt(card, pageUrl) {
    card.querySelectorAll("[href], [src]").forEach(function (node) {
      ["href", "src"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value && !/^[a-z][a-z0-9+.-]*:/i.test(value) && value.charAt(0) !== "#") {
          node.setAttribute(name, new URL(value, pageUrl).href);
        }
      });
    });
    return document.importNode(card, true);
  }
  function gather(url, view, wanted, found, left) {
    return fetch(url, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      doc.querySelectorAll(".hub-post-list .hub-post-card").forEach(function (card) {
        if (found.length < wanted && matches(card, view)) { found.push(adopt(card, url)); }
      });
      var next = doc.querySelector('.hub-pager a[rel="next"]');
      if (found.length < wanted && next && left > 1) {
        return gather(new URL(next.getAttribute("href"), url).href, view, wanted, found, left - 1);
      }
      return found;
    });
  }
  function showCards(cards) {
    var list = document.querySelector(".hub-post-list");
    if (!list) { return; }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    cards.forEach(function (card) { list.appendChild(card); });
    refreshAll();  /* the advocate code reaches the new cards' links too */
  }
  function applyView(form, view) {
    var paged = document.querySelectorAll(".hub-pager, .hub-count");
    if (isEmptyView(view)) {
      if (originalCards) { showCards(originalCards.map(function (c) { return c.cloneNode(true); })); }
      paged.forEach(function (node) { node.hidden = false; });
      announce(".hub-view-status", "");
      return Promise.resolve();
    }
    var start = form.dataset.home;
    var language = form.querySelector('input[name="language"][value="' + view.language + '"]');
    var single = view.categories.length === 1 &&
      form.querySelector('input[name="category"][value="' + view.categories[0] + '"]');
    if (view.language && language) { start = language.dataset.href; } else if (single) { start = single.dataset.href; }
    var wanted = Number(form.dataset.perPage || "24");
    return gather(new URL(start, window.location.href).href, view, wanted, [], VIEW_PAGES)
      .then(function (cards) {
        showCards(cards);
        paged.forEach(function (node) { node.hidden = true; });
        var status = (form.dataset.sayView || "%(view)s").replace("%(view)s", viewLabel(form, view));
        if (!cards.length) { status += " " + (form.dataset.sayEmpty || ""); }
        announce(".hub-view-status", status);
      }, function () {
        /* a page could not be read: the full list stays */
      });
  }
  function initView() {
    var form = document.querySelector("form.hub-view");
    if (!form) { return; }
    document.querySelectorAll(".hub-nojs").forEach(function (node) { node.hidden = true; });
    var list = document.querySelector(".hub-post-list");
    originalCards = list ? Array.prototype.map.call(list.children, function (c) {
      return c.cloneNode(true);
    }) : [];
    form.querySelector(".hub-view__reset").addEventListener("click", function () {
      fillForm(form, {language: "", categories: []});
      store(VIEW_KEY, "");
      applyView(form, null);
    });
    var view = savedView();
    if (!isEmptyView(view)) {
      fillForm(form, view);
      applyView(form, view);
    }
  }
  function submitView(form) {
    var view = viewOf(form);
    store(VIEW_KEY, isEmptyView(view) ? "" : JSON.stringify(view));
    var details = form.closest("details");
    applyView(form, view).then(function () {
      if (details) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (form.classList.contains("hub-advocate")) {
      event.preventDefault();
      var input = form.querySelector("input");
      var code = input.value.trim();
      if (code && !CODE.test(code)) {
        input.setAttribute("aria-invalid", "true");
        form.querySelector(".hub-status").textContent = CODE_HELP;
        return;
      }
      input.removeAttribute("aria-invalid");
      store(ADVOCATE_KEY, code);
      refreshAll();
      form.querySelector(".hub-status").textContent = code
        ? "Saved: your links now carry your advocate code."
        : "Advocate code removed from this browser.";
    } else if (form.classList.contains("hub-mastodon")) {
      event.preventDefault();
      var host = form.querySelector("input").value.trim().replace(/^https?:\/\//, "").replace(/\/.*$/, "").toLowerCase();
      if (!HOST.test(host)) {
        form.querySelector("input").setAttribute("aria-invalid", "true");
        return;
      }
      form.querySelector("input").removeAttribute("aria-invalid");
      store(MASTODON_KEY, host);
      refreshAll();
      announce(".hub-copy-status", "Mastodon server saved: " + host + ".");
      var link = form.closest(".hub-net").querySelector(".hub-share__link");
      if (link) { link.focus(); }
    } else if (form.classList.contains("hub-calc")) {
      event.preventDefault();
      calculate(form);
    } else if (form.classList.contains("hub-view")) {
      event.preventDefault();
      submitView(form);
    }
  }

  /* Mirror of hub.pages.reach, its numbers as the page's language writes them
     (data-lang; hub.site.i18n formats the first ones with Babel's CLDR data),
     data-none where there are no followers to compare with. */
  function calculate(form) {
    var num = function (name) {
      var value = Math.floor(Number(form.elements[name].value));
      return isFinite(value) && value > 0 ? value : 0;
    };
    var total = num("employees") * num("network");
    var followers = num("followers");
    var lang = form.dataset.lang || document.documentElement.lang || undefined;
    /* Grouping "always": Babel groups 4-digit numbers too (it has no CLDR
       minimumGroupingDigits; ICU would write Spanish 1590 but Babel 1.590). */
    var fmt = new Intl.NumberFormat(lang, { useGrouping: "always" });
    var percent = new Intl.NumberFormat(lang, {
      style: "percent", maximumFractionDigits: 0, signDisplay: "exceptZero", useGrouping: "always"
    });
    form.querySelector("#calc-reach").textContent = fmt.format(total);
    form.querySelector("#calc-base").textContent = fmt.format(followers);
    var increase = followers > 0 ? ((total - followers) * 100) / followers : null;
    form.querySelector("#calc-increase").textContent = increase === null
      ? (form.dataset.none || "n/a")
      : percent.format(Math.round(increase) / 100);
  }

  var searchStarted = false;
  function initSearch() {
    var box = document.getElementById("hub-search");
    if (searchStarted || !box || typeof window.PagefindUI !== "function") { return; }
    searchStarted = true;
    /* The placeholder in the site's language, as the page wrote it (hub.site.pages.search). */
    var placeholder = box.getAttribute("data-placeholder");
    var ui = new window.PagefindUI({
      element: "#hub-search", showSubResults: true, showImages: false, resetStyles: false,
      translations: placeholder ? { placeholder: placeholder } : {}
    });
    nameSearchField(box, 0);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }

  /* Pagefind's field has only a placeholder: tie it to the page's visible label. */
  function nameSearchField(box, tries) {
    var input = box.querySelector(".pagefind-ui__search-input");
    if (!input) {
      if (tries < 50) { window.setTimeout(function () { nameSearchField(box, tries + 1); }, 20); }
      return;
    }
    input.id = "hub-search-input";
    input.setAttribute("aria-labelledby", "hub-search-label");
  }

  /* A search button in the header, beside the title, on every page but the
     search page itself. Material draws its own only with its search plugin,
     which the hub replaces by Pagefind; without JavaScript the navigation's
     Search entry is the way in. */
  var MAGNIFY = "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5" +
    " 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5" +
    " 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5";
  function addHeaderSearch() {
    var target = document.querySelector('meta[name="hub-search"]');
    var header = document.querySelector(".md-header__inner");
    if (!target || !header || document.getElementById("hub-search")) { return; }
    var link = document.createElement("a");
    link.className = "md-header__button md-icon hub-header-search";
    link.href = target.getAttribute("content");
    /* The words in the site's language, as theme/main.html wrote them. */
    link.title = target.getAttribute("data-title") || "Search";
    link.setAttribute("aria-label", target.getAttribute("data-label") || "Search the hub");
    link.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"' +
      ' aria-hidden="true" focusable="false"><path d="' + MAGNIFY + '"></path></svg>';
    header.appendChild(link);
  }

  /* A table wider than a phone scrolls inside Material's wrapper, tabs in
     their label strip; a keyboard reaches them only when the box itself
     takes focus (axe scrollable-region-focusable). No role: several tables
     on a page would be landmarks with the same name. */
  function focusableScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap, .tabbed-labels").forEach(function (box) {
      if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
    });
  }

  function init() {
    addHeaderSearch();
    focusableScrollers();
    rememberFirstWordings();
    document.querySelectorAll(".hub-js").forEach(function (node) {
      node.classList.add("hub-js--ready");
    });
    var share = document.querySelector(".hub-webshare");
    if (share && typeof navigator.share === "function") { share.hidden = false; }
    var input = document.getElementById("hub-advocate-code");
    if (input) { input.value = advocate(); }
    var server = document.getElementById("hub-mastodon-server");
    if (server) { server.value = mastodon(); }
    refreshAll();
    initView();
    var calc = document.getElementById("hub-calc");
    if (calc) {
      calc.addEventListener("input", function () { calculate(calc); });
    }
    initSearch();
  }

  document.addEventListener("click", onClick);
  document.addEventListener("submit", onSubmit);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  window.addEventListener("load", initSearch);
  window.addEventListener("load", focusableScrollers);
})();
