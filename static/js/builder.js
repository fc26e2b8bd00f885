// The builder's checks while typing say each checked field's errors afresh, out of band
// (campaigns/builder.html); this marks each field to match its errors: its red border
// (aria-invalid) and the texts that describe it. Without JavaScript, saving checks the step.
function markFields() {
  for (const box of document.querySelectorAll("[data-errors-for]")) {
    const field = document.getElementById(box.dataset.errorsFor);
    if (!field) continue;
    const errors = box.querySelector(".errorlist");
    const help = document.getElementById(`${field.id}_helptext`);
    const described = [errors?.id, help?.id].filter(Boolean);
    if (errors) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
    if (described.length) field.setAttribute("aria-describedby", described.join(" "));
    else field.removeAttribute("aria-describedby");
  }
}

document.body.addEventListener("htmx:afterSettle", markFields);
