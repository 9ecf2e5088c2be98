/* test_jsonout.c -- the JSON text of the reports (reports/report.c
 * hr_rep_dump): every real as the shortest text that reads back the same
 * double, ".0" kept on integral reals, integers and strings untouched
 * (also strings that look like numbers or like the placeholder of a
 * number array), number arrays written on one line, non-finite as null;
 * and the text parses back to the same doubles. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report_int.h"

int main(void)
{
    static const double arr[5] = {16.053000000000001, 0.1 + 0.2, 2.0, NAN, -1e-300};
    json_t *o = json_object();
    json_object_set_new(o, "a_real", json_real(4.4580000000000002));
    json_object_set_new(o, "b_int", json_integer(-12));
    json_object_set_new(o, "c_whole", json_real(85.0));
    json_object_set_new(o, "d_big", json_real(3.87e13));
    json_object_set_new(o, "e_str", json_string("1.5000000000000001 \"\\u0000hrnums:0x1:3\""));
    json_object_set_new(o, "f_arr", hr_rep_jnums(arr, 5));
    json_object_set_new(o, "g_empty", hr_rep_jnums(arr, 0));
    json_object_set_new(o, "h_neg", json_real(-0.20000000000000001));
    json_object_set_new(o, "i_tiny", json_real(2.5e-7));
    char *t = hr_rep_dump(o);
    CHECK(t != NULL);
    if (!t)
        return check_summary("jsonout");
    CHECK_CONTAINS(t, "\"a_real\": 4.458,");
    CHECK_CONTAINS(t, "\"b_int\": -12,");
    CHECK_CONTAINS(t, "\"c_whole\": 85.0,");
    CHECK_CONTAINS(t, "\"d_big\": 38700000000000.0,");
    CHECK_CONTAINS(t, "\"e_str\": \"1.5000000000000001 \\\"\\\\u0000hrnums:0x1:3\\\"\",");
    CHECK_CONTAINS(t, "\"f_arr\": [16.053, 0.30000000000000004, 2.0, null, -1e-300],");
    CHECK_CONTAINS(t, "\"g_empty\": [],");
    CHECK_CONTAINS(t, "\"h_neg\": -0.2,");
    CHECK_CONTAINS(t, "\"i_tiny\": 2.5e-07\n");
    CHECK(t[strlen(t) - 1] == '\n');
    /* it parses, and the numbers are the same doubles */
    json_error_t e;
    json_t *back = json_loads(t, 0, &e);
    CHECK(back != NULL);
    if (back) {
        CHECK(json_real_value(json_object_get(back, "a_real")) == 4.4580000000000002);
        json_t *a = json_object_get(back, "f_arr");
        CHECK(json_array_size(a) == 5);
        CHECK(json_real_value(json_array_get(a, 0)) == arr[0]);
        CHECK(json_real_value(json_array_get(a, 1)) == arr[1]);
        CHECK(json_is_null(json_array_get(a, 3)));
        CHECK(json_real_value(json_array_get(a, 4)) == arr[4]);
        CHECK(strcmp(json_string_value(json_object_get(back, "e_str")), "1.5000000000000001 \"\\u0000hrnums:0x1:3\"") == 0);
        json_decref(back);
    }
    free(t);
    return check_summary("jsonout");
}
