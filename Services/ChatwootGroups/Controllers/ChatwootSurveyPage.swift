import Foundation
import WireModels

/// The CSAT survey page Chatwoot serves at `/survey/responses/{uuid}`: the five ratings and a feedback box, answered
/// through `PUT /public/api/v1/csat_survey/{uuid}` as Chatwoot's own page does; an answer given is shown.
enum ChatwootSurveyPage {
    static func html(uuid: String, survey: ChatwootCSATSurvey) -> String {
        let rating = survey.csatSurveyResponse?.rating
        let feedback = Self.escaped(survey.csatSurveyResponse?.feedbackMessage ?? "")
        let buttons = ["😞", "😑", "😐", "😀", "😍"].enumerated().map { index, face in
            let value = index + 1
            let chosen = rating == value ? " aria-pressed=\"true\" class=\"chosen\"" : ""
            return "<button type=\"button\" name=\"rating\" value=\"\(value)\"\(chosen)>\(face)<span>\(value)</span></button>"
        }.joined()
        // The uuid is what the path matched; it is escaped for the page and written into the script as JSON text.
        let target = Self.escaped("/public/api/v1/csat_survey/\(uuid)")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Rate your conversation</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2d3d}
            .ratings{display:flex;gap:.5rem;margin:1rem 0}
            button{font-size:2rem;border:1px solid #c0ccda;border-radius:.5rem;background:#fff;padding:.25rem .5rem;cursor:pointer}
            button span{display:block;font-size:.75rem}
            button.chosen{border-color:#1f93ff;background:#e8f4ff}
            textarea{width:100%;min-height:5rem}
            </style>
            </head>
            <body>
            <h1>Rate your conversation</h1>
            <form id="survey" data-target="\(target)">
            <div class="ratings">\(buttons)</div>
            <label for="feedback">Tell us more (optional)</label>
            <textarea id="feedback" name="feedback_message">\(feedback)</textarea>
            <p><input type="submit" value="Submit"></p>
            <p id="status" role="status">\(rating == nil ? "" : "Thank you for your feedback.")</p>
            </form>
            <script>
            const form = document.getElementById('survey');
            let rating = \(rating.map(String.init) ?? "null");
            form.querySelectorAll('button[name=rating]').forEach((button) => button.addEventListener('click', () => {
              rating = Number(button.value);
              form.querySelectorAll('button[name=rating]').forEach((other) => other.classList.toggle('chosen', other === button));
            }));
            form.addEventListener('submit', async (event) => {
              event.preventDefault();
              const status = document.getElementById('status');
              if (rating === null) { status.textContent = 'Please choose a rating.'; return; }
              const body = {message: {submitted_values: {csat_survey_response: {rating, feedback_message: form.feedback_message.value}}}};
              const answer = await fetch(form.dataset.target, {method: 'PUT', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
              status.textContent = answer.ok ? 'Thank you for your feedback.' : 'Your answer could not be saved.';
            });
            </script>
            </body>
            </html>
            """
    }

    /// Text for HTML content and attribute values.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
