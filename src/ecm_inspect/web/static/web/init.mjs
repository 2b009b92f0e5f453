// Initialise every GOV.UK Frontend component on the page (installed from npm, served locally).
import { initAll } from '/static/govuk/govuk-frontend.min.js'

initAll()
