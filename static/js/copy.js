// Copy buttons: each names the field it copies (data-copy). They stay hidden without
// JavaScript, where the field's text is selected and copied by hand.
for (const button of document.querySelectorAll("[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const status = button.closest("details, section, body").querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", async () => {
    field.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch {
      copied = document.execCommand("copy");  // browsers that keep the clipboard from scripts
    }
    if (status) {
      const label = field.labels[0]?.textContent ?? "code";
      status.textContent = copied ? `${label} copied.` : "Press Ctrl+C (⌘C on a Mac) to copy it.";
    }
  });
}
