// movierec: light or dark. The page follows the system (prefers-color-scheme, in site.css)
// until the header's switch picks one; the pick is kept in localStorage and set as
// <html data-theme> here. This file is loaded without `defer` in <head> so that the attribute is
// on before the first paint (the CSP allows no inline script): no flash of the other theme.
(() => {
  "use strict";

  const KEY = "movierec-theme";
  const root = document.documentElement;
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  const stored = () => {
    try {
      const theme = localStorage.getItem(KEY);
      return theme === "light" || theme === "dark" ? theme : null;
    } catch (_) {
      return null; // storage blocked (private mode, cookies off): the system's theme applies
    }
  };

  const chosen = stored();
  if (chosen) root.dataset.theme = chosen;

  const current = () => root.dataset.theme || (systemDark.matches ? "dark" : "light");

  const show = (button) => {
    const dark = current() === "dark";
    button.setAttribute("aria-pressed", String(dark));
    // Django's JavaScript catalogue translates once it has loaded (this file runs before it).
    const gettext = window.gettext || ((text) => text);
    button.title = dark ? gettext("Switch to the light theme") : gettext("Switch to the dark theme");
  };

  const wire = () => {
    const button = document.querySelector("[data-theme-switch]");
    // Browsers without light-dark() get the dark palette only: a switch there would do nothing.
    if (!button || !CSS.supports("color", "light-dark(#000, #fff)")) return;
    button.hidden = false;
    show(button);
    button.addEventListener("click", () => {
      const next = current() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(KEY, next); } catch (_) { /* kept for this page only */ }
      show(button);
    });
    systemDark.addEventListener("change", () => show(button));
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
