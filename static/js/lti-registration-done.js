// LTI Dynamic Registration: the tool tells the LMS that framed its registration page that it is done, so the
// LMS closes its dialog (IMS LTI Dynamic Registration 1.0, "org.imsglobal.lti.close").
if (window.parent && window.parent !== window) {
  window.parent.postMessage({ subject: "org.imsglobal.lti.close" }, "*");
}
