// Filter each judgement's evidence checkboxes as the search box is typed in (the search also
// works without JavaScript: the form sends ?q= and the server filters). Checked items always
// stay visible.
const box = document.querySelector('[data-evidence-search]')
if (box) {
  box.addEventListener('input', () => {
    const words = box.value.trim().toLowerCase()
    for (const item of document.querySelectorAll('[data-evidence-item]')) {
      const input = item.querySelector('input')
      const text = item.textContent.toLowerCase()
      const hide = Boolean(words) && !text.includes(words) && !(input && input.checked)
      item.classList.toggle('govuk-!-display-none', hide)
    }
  })
}
