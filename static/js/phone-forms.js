// Every phone page: the larger-text switch, remembered on this phone, and, when a form comes
// back with problems, focus on their summary (a screen reader reads it first and the next Tab
// reaches the first link to a field to fix).
// Loaded in the head, not deferred: a phone that chose larger text gets it from the first paint.
(() => {
  const STORE = "coprod.largerText";
  const root = document.documentElement;

  function remembered() {
    try {
      return localStorage.getItem(STORE) === "on";
    } catch {
      return false; // private browsing can refuse storage: the page still works, unremembered
    }
  }

  function setLarger(button, on) {
    root.classList.toggle("larger-text", on);
    if (button) button.setAttribute("aria-pressed", String(on));
  }

  setLarger(null, remembered());
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("larger-text");
    if (button) {
      setLarger(button, root.classList.contains("larger-text"));
      button.addEventListener("click", () => {
        const on = !root.classList.contains("larger-text");
        setLarger(button, on);
        try {
          localStorage.setItem(STORE, on ? "on" : "off");
        } catch {}
      });
    }
    const problem = document.querySelector(".problem");
    if (problem) problem.focus();
  });
})();
