// The campaign form's pickers (campaigns/widgets.py): chosen values are ticked boxes shown as
// chips; a search box is a combobox whose listbox htmx fills, opened by typing, ArrowDown or a
// click (never by focus alone, which removing a chip moves there). A list (countries) is there
// for a browser without JavaScript: the search box takes its place here.
// Loaded once per picker on the page, so it sets itself up only once.
(() => {
  if (window.swayPicker) return;
  window.swayPicker = true;

  const pickerOf = (element) => element.closest("[data-picker]");
  const say = (picker, text) => { picker.querySelector("[data-picker-status]").textContent = text; };
  const optionsOf = (listbox) => [...listbox.querySelectorAll('[role="option"]:not([aria-disabled="true"])')];

  let notes = 0;

  for (const list of document.querySelectorAll("[data-picker-list]")) {
    const instead = pickerOf(list).querySelector("[data-picker-instead]");
    if (!instead) continue;
    const id = list.id;
    list.remove();
    instead.querySelector("[data-picker-search]").id = id;  // the field's label names it now
    instead.hidden = false;
  }

  function chipFor(picker, value) {
    return [...picker.querySelectorAll("[data-picker-chips] input")].find((box) => box.value === value);
  }

  function add(picker, value, label) {
    if (!value) return;
    if (chipFor(picker, value)) {
      say(picker, `${label} is already chosen.`);
      return;
    }
    const chip = document.createElement("label");
    chip.className = "picker-chip";
    const box = document.createElement("input");
    Object.assign(box, { type: "checkbox", name: picker.dataset.picker, value, checked: true });
    const cross = document.createElement("span");
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "×";
    chip.append(box, ` ${label} `, cross);
    picker.querySelector("[data-picker-chips]").append(chip);
    box.dispatchEvent(new Event("change", { bubbles: true }));  // the estimate follows
    say(picker, `Added ${label}.`);
    return chip;
  }

  // A city added as typed: the server says beside it whether anybody on Sway gives it.
  function addTyped(search) {
    const text = search.value.trim();
    const chip = add(pickerOf(search), text, text);
    search.value = "";
    close(search);
    if (!chip) return;
    const note = document.createElement("span");
    note.className = "picker-note";
    note.id = `${search.id}-note-added-${++notes}`;
    chip.querySelector("input").setAttribute("aria-describedby", note.id);
    chip.after(note);
    htmx.ajax("GET", search.getAttribute("hx-get"), { target: note, swap: "innerHTML", values: { place: text } });
  }

  function listboxOf(search) { return document.getElementById(search.getAttribute("aria-controls")); }

  function close(search) {
    const listbox = listboxOf(search);
    listbox.hidden = true;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
  }

  function activate(search, option) {
    const listbox = listboxOf(search);
    for (const each of listbox.querySelectorAll('[role="option"]')) {
      each.setAttribute("aria-selected", String(each === option));
    }
    if (option) {
      search.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      search.removeAttribute("aria-activedescendant");
    }
  }

  function choose(search, option) {
    const picker = pickerOf(search);
    if (option.dataset.area !== undefined) {  // an area: list its topics, or the areas again
      htmx.ajax("GET", search.getAttribute("hx-get"), {
        target: listboxOf(search), swap: "innerHTML", values: { area: option.dataset.area },
      });
      search.focus();
      return;
    }
    add(picker, option.dataset.value, option.dataset.label);
    search.value = "";
    close(search);
    search.focus();
  }

  // Suggestions arrived: open the listbox and say how many there are.
  document.addEventListener("htmx:afterSwap", (event) => {
    const listbox = event.detail.target;
    if (listbox.getAttribute("role") !== "listbox") return;
    const search = document.querySelector(`[aria-controls="${listbox.id}"]`);
    if (!search) return;
    listbox.querySelectorAll('[role="option"]').forEach((option, i) => { option.id = `${listbox.id}-${i}`; });
    const options = optionsOf(listbox);
    const open = listbox.children.length > 0 && document.activeElement === search;
    listbox.hidden = !open;
    search.setAttribute("aria-expanded", String(open));
    activate(search, null);
    if (open) {
      const topics = options.filter((option) => option.dataset.value !== undefined).length;
      say(pickerOf(search), options.length && !topics ? `${options.length} areas to browse.`
        : `${topics} suggestion${topics === 1 ? "" : "s"}.`);
    }
  });

  document.addEventListener("keydown", (event) => {
    const search = event.target.closest?.("[data-picker-search]");
    if (!search) return;
    const listbox = listboxOf(search);
    const options = listbox.hidden ? [] : optionsOf(listbox);
    const active = document.getElementById(search.getAttribute("aria-activedescendant") || "");
    const at = options.indexOf(active);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (listbox.hidden) { htmx.trigger(search, "picker-open"); return; }
      if (!options.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      activate(search, options[(at + step + options.length) % options.length]);
    } else if (event.key === "Enter") {
      event.preventDefault();  // never sends the whole form from here
      if (active) choose(search, active);
      else if (pickerOf(search).hasAttribute("data-picker-free") && search.value.trim()) addTyped(search);
    } else if (event.key === "Escape" && !listbox.hidden) {
      event.preventDefault();
      close(search);
    }
  });

  document.addEventListener("click", (event) => {
    const clicked = event.target.closest?.("[data-picker-search]");
    if (clicked && listboxOf(clicked).hidden) htmx.trigger(clicked, "picker-open");
    const option = event.target.closest?.('[role="option"]:not([aria-disabled="true"])');
    const listbox = option?.closest('[role="listbox"]');
    const search = listbox && document.querySelector(`[aria-controls="${listbox.id}"]`);
    if (search) choose(search, option);
  });
  // A press on an option must not blur the search box first (which closes the list).
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest?.('[role="listbox"]')) event.preventDefault();
  });
  document.addEventListener("focusout", (event) => {
    const search = event.target.closest?.("[data-picker-search]");
    if (search) close(search);
  });

  document.addEventListener("change", (event) => {
    const box = event.target.closest?.("[data-picker-chips] input");
    if (box && !box.checked) {  // unticked: the chip goes, with its note
      const picker = pickerOf(box);
      const label = box.parentElement.textContent.replace("×", "").trim();
      document.getElementById(box.getAttribute("aria-describedby") || "")?.remove();
      box.parentElement.remove();
      say(picker, `Removed ${label}.`);
      picker.querySelector("[data-picker-search], [data-picker-list]")?.focus();
    }
  });
})();
