(function (css) {
  "use strict";
  var SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];
  var HEADER = { title: 1, byline: 1, date: 1, disclosure: 1 };

  function clock(seconds) {
    var t = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = t % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // The markup the page is written with, from the timings JSON (an embedded player).
  function build(root, data) {
    var sentences = data.sentences;
    function spans(range) {
      var out = [];
      for (var i = range.start; i < range.end; i++) {
        if (i > range.start) out.push(" ");
        out.push(el("span", { "class": "rc-s", "data-start": sentences[i].start.toFixed(3), "data-end": sentences[i].end.toFixed(3) }, [sentences[i].text]));
      }
      return out;
    }
    var header = el("header"), text = el("article", { "class": "rc-text", "aria-live": "off" });
    var spoken = {};
    data.parts.forEach(function (part) { spoken[part.role] = true; });
    if (data.title && !spoken.title) header.appendChild(el("h1", {}, [data.title]));
    if (data.byline && !spoken.byline) header.appendChild(el("p", { "class": "rc-meta rc-byline" }, ["By " + data.byline]));
    if (data.date && !spoken.date) header.appendChild(el("p", { "class": "rc-meta rc-date" }, [data.date]));
    var list = null, inBody = false;
    data.parts.forEach(function (part) {
      var children = spans(part.utterances), node;
      inBody = inBody || !HEADER[part.role];
      if (part.role === "list_item") {
        if (!list) { list = el("ul"); text.appendChild(list); }
        list.appendChild(el("li", {}, children));
        return;
      }
      list = null;
      if (part.role === "title") node = el("h1", {}, children);
      else if (part.role === "byline" || part.role === "date") node = el("p", { "class": "rc-meta rc-" + part.role }, children);
      else if (part.role === "disclosure") node = el("p", { "class": "rc-disclosure" }, children);
      else if (part.role === "heading") node = el("h" + Math.min(6, Math.max(2, part.level)), {}, children);
      else if (part.role === "quote") node = el("blockquote", {}, [el("p", {}, children)]);
      else node = el("p", part.role === "lede" ? { "class": "rc-lede" } : {}, children);
      (inBody ? text : header).appendChild(node);
    });
    var speed = el("select", { "class": "rc-speed" }, SPEEDS.map(function (rate) {
      var option = el("option", { value: String(rate) }, [rate + "\u00d7"]);
      if (rate === 1) option.setAttribute("selected", "");
      return option;
    }));
    var player = el("section", { "class": "rc-player", "aria-label": "Listen to this article" }, [
      el("audio", { "class": "rc-audio", src: root.getAttribute("data-audio") || data.audio, preload: "metadata" }),
      el("button", { type: "button", "class": "rc-back", "aria-label": "Back 15 seconds", "aria-keyshortcuts": "j" }, ["\u221215 s"]),
      el("button", { type: "button", "class": "rc-play", "aria-label": "Play", "aria-keyshortcuts": "k" }, ["Play"]),
      el("button", { type: "button", "class": "rc-forward", "aria-label": "Forward 15 seconds", "aria-keyshortcuts": "l" }, ["+15 s"]),
      el("input", { type: "range", "class": "rc-seek", min: "0", max: data.duration.toFixed(3), step: "0.1", value: "0", "aria-label": "Position" }),
      el("span", { "class": "rc-time" }, ["0:00 / " + clock(data.duration)]),
      el("label", {}, ["Speed ", speed])
    ]);
    var items = data.chapters.map(function (chapter) {
      return el("li", {}, [el("button", { type: "button", "data-seek": chapter.start.toFixed(3) }, [chapter.title]), el("span", { "class": "rc-at" }, [clock(chapter.start)])]);
    });
    root.appendChild(header);
    root.appendChild(player);
    if (items.length > 1) root.appendChild(el("nav", { "class": "rc-chapters", "aria-label": "Chapters" }, [el("h2", {}, ["Chapters"]), el("ol", {}, items)]));
    root.appendChild(text);
  }

  // The player: controls, the sentence being read highlighted, seeking by sentence or chapter.
  function init(root) {
    var audio = root.querySelector(".rc-audio"), play = root.querySelector(".rc-play");
    var seek = root.querySelector(".rc-seek"), time = root.querySelector(".rc-time");
    var player = root.querySelector(".rc-player");
    var sentences = Array.prototype.slice.call(root.querySelectorAll(".rc-s"));
    var starts = sentences.map(function (node) { return parseFloat(node.getAttribute("data-start")); });
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var current = -1, dragging = false;

    function length() {
      return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : parseFloat(seek.max) || 0;
    }
    // The last sentence started by `t`: it stays lit through the pause after it.
    function at(t) {
      var low = 0, high = starts.length - 1, found = -1;
      while (low <= high) {
        var middle = (low + high) >> 1;
        if (starts[middle] <= t) { found = middle; low = middle + 1; } else { high = middle - 1; }
      }
      return found;
    }
    function inView(node) {
      var box = node.getBoundingClientRect(), top = player.getBoundingClientRect().bottom;
      return box.top >= Math.max(0, top) && box.bottom <= window.innerHeight;
    }
    function highlight(scroll) {
      var index = at(audio.currentTime);
      if (index === current) return;
      if (current >= 0) {
        sentences[current].classList.remove("rc-current");
        sentences[current].removeAttribute("aria-current");
      }
      current = index;
      if (index < 0) return;
      var node = sentences[index];
      node.classList.add("rc-current");
      node.setAttribute("aria-current", "true");
      if (scroll && !inView(node)) node.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
    }
    function show() {
      var now = clock(audio.currentTime), total = clock(length());
      time.textContent = now + " / " + total;
      if (!dragging) seek.value = String(audio.currentTime);
      seek.max = String(length());
      seek.setAttribute("aria-valuetext", now + " of " + total);
    }
    // Every frame while playing: `timeupdate` alone comes only every quarter second.
    function frame() {
      highlight(true);
      show();
      if (!audio.paused) window.requestAnimationFrame(frame);
    }
    function go(t) {
      audio.currentTime = Math.max(0, Math.min(t, length()));
      highlight(true);
      show();
    }
    function label(playing) {
      play.textContent = playing ? "Pause" : "Play";
      play.setAttribute("aria-label", playing ? "Pause" : "Play");
    }
    audio.addEventListener("play", function () { label(true); window.requestAnimationFrame(frame); });
    audio.addEventListener("pause", function () { label(false); show(); });
    audio.addEventListener("ended", function () { label(false); });
    ["timeupdate", "seeked", "loadedmetadata", "durationchange"].forEach(function (name) {
      audio.addEventListener(name, function () { highlight(name === "seeked"); show(); });
    });
    play.addEventListener("click", function () {
      if (audio.paused) {
        var started = audio.play();
        if (started && started.catch) started.catch(function () { label(false); });
      } else {
        audio.pause();
      }
    });
    root.querySelector(".rc-back").addEventListener("click", function () { go(audio.currentTime - 15); });
    root.querySelector(".rc-forward").addEventListener("click", function () { go(audio.currentTime + 15); });
    seek.addEventListener("input", function () { dragging = true; go(parseFloat(seek.value)); });
    seek.addEventListener("change", function () { dragging = false; show(); });
    root.querySelector(".rc-speed").addEventListener("change", function (event) {
      audio.playbackRate = parseFloat(event.target.value);
    });
    root.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target.closest(".rc-s, [data-seek]") : null;
      if (!target || !root.contains(target)) return;
      go(parseFloat(target.getAttribute("data-start") || target.getAttribute("data-seek")));
    });
    // Page-wide keys for the only player on a page.
    if (document.querySelectorAll(".readcast").length === 1) document.addEventListener("keydown", function (event) {
      var tag = event.target.tagName;
      if (event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(tag) || event.target.isContentEditable) return;
      if (event.key === "k") play.click();
      else if (event.key === "j") go(audio.currentTime - 15);
      else if (event.key === "l") go(audio.currentTime + 15);
      else return;
      event.preventDefault();
    });
    highlight(false);
    show();
  }

  if (css && !document.getElementById("readcast-style")) {
    var style = el("style", { id: "readcast-style" }, [css]);
    document.head.appendChild(style);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".readcast"), function (root) {
    if (root.querySelector(".rc-player")) {
      init(root);
      return;
    }
    var timings = root.getAttribute("data-timings");
    if (!timings) return;
    fetch(timings)
      .then(function (response) {
        if (!response.ok) throw new Error(timings + ": HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { build(root, data); init(root); })
      .catch(function (error) {
        root.textContent = "The read-along player could not load " + timings + " (" + error.message + ").";
      });
  });
})(READCAST_CSS);
