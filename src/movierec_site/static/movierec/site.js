// movierec: star ratings without a page reload, lists that refresh after a rating, and a drawn
// poster where a fetched one fails to load. No framework; the pages work without this file.
(() => {
  "use strict";

  // Django's JavaScript catalogue (/jsi18n/, loaded before this file) translates; without it,
  // the English source.
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate
    || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));

  const csrfToken = (form) => {
    const field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  // Every widget of the movie on the page shows the new stars (a movie can appear twice).
  const showStars = (movieId, stars) => {
    document.querySelectorAll(`form.stars[data-movie="${movieId}"]`).forEach((form) => {
      form.dataset.stars = stars === null ? "" : String(stars);
      form.querySelectorAll("button.star").forEach((button) => {
        button.classList.toggle("on", stars !== null && Number(button.value) <= stars);
      });
      const clear = form.querySelector(".stars-clear");
      if (clear) clear.hidden = stars === null;
    });
  };

  const say = (form, text, kind) => {
    const status = form.querySelector(".stars-status");
    if (!status) return;
    status.textContent = text;
    status.className = `stars-status ${kind || ""}`;
  };

  const refreshLiveSections = async () => {
    const sections = document.querySelectorAll("[data-refresh-url]");
    await Promise.all(Array.from(sections, async (section) => {
      section.classList.add("refreshing");
      try {
        const response = await fetch(section.dataset.refreshUrl, {
          credentials: "same-origin", headers: { "X-Requested-With": "fetch" },
        });
        if (response.ok) section.innerHTML = await response.text();
      } finally {
        section.classList.remove("refreshing");
      }
    }));
    document.dispatchEvent(new CustomEvent("movierec:refreshed"));
  };

  const rate = async (form, button) => {
    const remove = button.name === "remove";
    const stars = remove ? null : Number(button.value);
    form.classList.add("busy");
    say(form, gettext("Saving…"));
    try {
      const response = await fetch(form.dataset.api, {
        method: remove ? "DELETE" : "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: remove ? null : JSON.stringify({ stars }),
      });
      if (!response.ok) {
        let detail = interpolate(gettext("could not save (%(status)s)"),
                                 { status: response.status }, true);
        try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
        say(form, detail, "error");
        return;
      }
      showStars(form.dataset.movie, stars);
      say(form, remove ? gettext("Removed") : gettext("Saved"), "saved");
      document.dispatchEvent(new CustomEvent("movierec:rated", { detail: { movie: form.dataset.movie, stars } }));
      await refreshLiveSections();
    } catch (_) {
      say(form, gettext("No connection; not saved"), "error");
    } finally {
      form.classList.remove("busy");
    }
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("form.stars button");
    if (!button) return;
    event.preventDefault();
    rate(button.closest("form.stars"), button);
  });

  // Poster images that fail (TMDB unreachable) fall back to the drawn poster.
  document.addEventListener("error", (event) => {
    const image = event.target;
    if (image.tagName !== "IMG" || !image.dataset.fallback) return;
    if (image.getAttribute("src") !== image.dataset.fallback) image.src = image.dataset.fallback;
  }, true);

  // Rows of cards scroll sideways by themselves (touch, trackpad, shift+wheel); for a mouse or a
  // keyboard, previous/next buttons beside the row's title, each off at its end of the row.
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  // Scroll snapping can rest a few pixels short of either end (the row's padding): that is the end.
  const SLACK = 8;

  const updateArrows = (cards, previous, next) => {
    const end = cards.scrollWidth - cards.clientWidth;
    const focused = document.activeElement;
    previous.disabled = cards.scrollLeft <= SLACK;
    next.disabled = cards.scrollLeft >= end - SLACK;
    // A button switched off under the keyboard's focus would drop it to the top of the page.
    if (focused === next && next.disabled) previous.focus();
    if (focused === previous && previous.disabled) next.focus();
    // A row that fits has nothing to scroll: no buttons at all.
    previous.parentElement.hidden = end <= SLACK;
  };

  const arrowButton = (label, direction, glyph, cards) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `row-arrow row-${direction}`;
    button.setAttribute("aria-label", label);
    button.setAttribute("aria-controls", cards.id);
    button.textContent = glyph;
    button.addEventListener("click", () => {
      // Most of a screenful, so the last card seen stays in view as a landmark.
      const step = cards.clientWidth * 0.85 * (direction === "next" ? 1 : -1);
      cards.scrollBy({ left: step, behavior: reducedMotion.matches ? "auto" : "smooth" });
    });
    return button;
  };

  const addRowArrows = (row) => {
    const cards = row.querySelector(".row-cards");
    const head = row.querySelector(".row-head");
    if (!cards || !head || !cards.id || row.querySelector(".row-arrows")) return;
    const title = head.querySelector("h2");
    const name = title ? title.textContent.trim() : gettext("this row");
    const group = document.createElement("div");
    group.className = "row-arrows";
    const previous = arrowButton(interpolate(gettext("Previous movies in %(name)s"), { name }, true),
                                 "previous", "‹", cards);
    const next = arrowButton(interpolate(gettext("Next movies in %(name)s"), { name }, true),
                             "next", "›", cards);
    group.append(previous, next);
    head.append(group);
    const update = () => updateArrows(cards, previous, next);
    cards.addEventListener("scroll", update, { passive: true });
    new ResizeObserver(update).observe(cards);
    update();
  };

  // The language switch applies on choosing; its button stays for keyboards and no-script.
  document.querySelectorAll(".language-switch select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  const addAllRowArrows = () => document.querySelectorAll("section.row").forEach(addRowArrows);
  addAllRowArrows();
  // Sections reloaded after a rating bring new rows.
  document.addEventListener("movierec:refreshed", addAllRowArrows);
})();
