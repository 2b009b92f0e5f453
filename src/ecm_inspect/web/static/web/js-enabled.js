// Runs first in <body>: tells govuk-frontend's CSS and JavaScript that they may run.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
