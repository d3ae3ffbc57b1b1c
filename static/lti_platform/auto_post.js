// The id_token form to an external tool posts itself, as every LTI platform's does; without scripts the
// student presses the button.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-auto-post]");
  if (form) form.submit();
});
