package io.sluice.adminui.signin;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page; the form posts to Spring Security's form login ({@link SignInConfiguration}). */
@Controller
class SignInController {

    @GetMapping(SignInConfiguration.SIGN_IN)
    String signIn(@RequestParam(required = false) String error,
                  @RequestParam(name = "signed-out", required = false) String signedOut, Model model) {
        model.addAttribute("failure", error == null ? null : SignInFailure.ofCode(error).message());
        model.addAttribute("signedOut", signedOut != null);
        return "sign-in";
    }
}
