package io.github.jamesmtasts.james.webadmin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.james.webadmin.utils.ErrorResponder;
import spark.HaltException;
import spark.Request;
import spark.Response;

/**
 * What the extension's WebAdmin routes share: JSON in and out with Jackson, and James's usual JSON
 * errors ({@link ErrorResponder}), raised before anything is changed.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TYPE = "application/json";

    private Json() {
    }

    /** Renders a value as the response body. */
    static String respond(Response response, Object value) throws JsonProcessingException {
        response.type(TYPE);
        return MAPPER.writeValueAsString(value);
    }

    /** The request body as a JSON object, or a 400. */
    static JsonNode body(Request request) {
        try {
            JsonNode body = MAPPER.readTree(request.body());
            if (body == null || !body.isObject()) {
                throw badRequest("the body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    static HaltException badRequest(String message) {
        return ErrorResponder.builder().statusCode(400).type(ErrorResponder.ErrorType.INVALID_ARGUMENT).message(message).haltError();
    }

    static HaltException notFound(String message) {
        return ErrorResponder.builder().statusCode(404).type(ErrorResponder.ErrorType.NOT_FOUND).message(message).haltError();
    }
}
