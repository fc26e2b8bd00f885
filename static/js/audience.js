// The builder's audience panel (campaigns/builder.html): open beside the form on a wide screen;
// on a phone a one-line bar along the bottom that a tap opens, and that closes again when a
// field of the form takes focus, so that it never covers what is being typed.
(() => {
  const panel = document.querySelector("[data-audience-details]");
  if (!panel) return;
  const phone = matchMedia("(max-width: 40rem)");
  const fit = () => { panel.open = !phone.matches; };
  fit();
  phone.addEventListener("change", fit);
  document.addEventListener("focusin", (event) => {
    if (phone.matches && event.target.closest("#builder-form")) panel.open = false;
  });
})();
