// movierec: star ratings without a page reload, lists that refresh after a rating, and a drawn
// poster where a fetched one fails to load. No framework; the pages work without this file.
(() => {
  "use strict";

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
    say(form, "Saving…");
    try {
      const response = await fetch(form.dataset.api, {
        method: remove ? "DELETE" : "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: remove ? null : JSON.stringify({ stars }),
      });
      if (!response.ok) {
        let detail = `could not save (${response.status})`;
        try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
        say(form, detail, "error");
        return;
      }
      showStars(form.dataset.movie, stars);
      say(form, remove ? "Removed" : "Saved", "saved");
      document.dispatchEvent(new CustomEvent("movierec:rated", { detail: { movie: form.dataset.movie, stars } }));
      await refreshLiveSections();
    } catch (_) {
      say(form, "No connection; not saved", "error");
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
})();
